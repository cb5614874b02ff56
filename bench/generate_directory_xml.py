#!/usr/bin/env python3
"""Deterministic XML directory export for the XML benchmark, shaped like the To Link sample
(Samples/tolink-wecare-torino): one <Servizio> per service with attributes, the managing body and
the place nested, repeated phones, accented text, entities.

    python3 bench/generate_directory_xml.py TARGET_MB OUT.xml
"""
import random
import sys

target = int(sys.argv[1]) * 1_000_000
out = sys.argv[2]
rng = random.Random(20261121)
titles = ["Sportello di ascolto", "Consegna spesa a domicilio", "Aiuto con SPID e pratiche online", "Orientamento al lavoro & formazione",
          "Doposcuola", "Accompagnamento a visite mediche", "Pacchi alimentari", "Orientamento abitativo", "Caffè sociale"]
bodies = ["Cooperativa Sociale Il Ponte s.c.s.", "Associazione Porta Aperta APS", "Parrocchia San Gioachino", "Vicini di Casa ODV",
          "Cooperativa Sociale Il Riparo", "Comune di Collegno - Politiche Sociali", "Associazione Cortile Comune ETS"]
streets = ["Via Roma", "Corso Giulio Cesare", "Piazza della Repubblica", "Via Cigna", "Corso Peschiera", "Via Di Nanni", "Via Sabotino"]
towns = [("Torino", "10152"), ("Collegno", "10093"), ("Ivrea", "10015"), ("Rivarolo Canavese", "10086"), ("Settimo Torinese", "10036")]
stati = ["A", "A", "A", "S", "C"]

with open(out, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<weca:Catalogo xmlns:weca="urn:tolink:weca:catalogo:2" generato="2026-11-02T07:00:00+01:00">\n<weca:Offerte>\n')
    n = 0
    written = 0
    while written < target:
        n += 1
        body = rng.randrange(len(bodies) * 50)
        town, cap = towns[rng.randrange(len(towns))]
        place = rng.randrange(20000)
        phones = "".join(f'<weca:Telefono tipo="fisso">011 {rng.randrange(1000000, 9999999)}</weca:Telefono>' for _ in range(rng.randrange(1, 3)))
        record = (
            f'<weca:Offerta codice="S{n:08d}" fase="orientamento" stato="{stati[n % len(stati)]}">'
            f'<weca:Titolo>{titles[n % len(titles)].replace("&", "&amp;")} {n}</weca:Titolo>'
            f'<weca:Descrizione>Servizio numero {n}: ascolto, informazioni e accompagnamento; più di una sede, città e comuni vicini.</weca:Descrizione>'
            f'<weca:Ente cf="{9_000_000_000 + body * 7919:011d}"><weca:RagioneSociale>{bodies[body % len(bodies)]} {body}</weca:RagioneSociale><weca:Web>www.ente{body}.it</weca:Web></weca:Ente>'
            f'<weca:Sede codice="L{place:05d}"><weca:Nome>Sede {place}</weca:Nome><weca:Indirizzo>{streets[place % len(streets)]} {place % 200 + 1}</weca:Indirizzo>'
            f'<weca:CAP>{cap}</weca:CAP><weca:Comune>{town}</weca:Comune><weca:Provincia>TO</weca:Provincia></weca:Sede>'
            f'<weca:Recapiti>{phones}<weca:Email>servizio{n}@ente{body}.it</weca:Email></weca:Recapiti>'
            f'<weca:Destinatari>Adulti e famiglie</weca:Destinatari><weca:Aggiornamento>2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}</weca:Aggiornamento>'
            '</weca:Offerta>\n'
        )
        f.write(record)
        written += len(record.encode("utf-8"))
    f.write("</weca:Offerte>\n</weca:Catalogo>\n")
print(f"{out}: {n} records", file=sys.stderr)
