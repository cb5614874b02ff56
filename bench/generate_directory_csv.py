#!/usr/bin/env python3
"""Writes a deterministic directory CSV for the conversion benchmark.

Usage: generate_directory_csv.py ROWS OUTPUT.csv

Each row is a service of a community help-desk network: accented Italian text, quoted fields that
hold commas, doubled quotes and line breaks, phone numbers written several ways, dates dd/mm/yyyy.
The same ROWS always give the same bytes (about 250 bytes a row).
"""
import random
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(20261121)

servizi = ["Sportello SOS tecnologia", "Consegna spesa a domicilio", "Fila alle Poste", "Ritiro ricette mediche",
           "Sportello ascolto", "Orientamento al lavoro", "Banco alimentare", "Doposcuola", "Caffè sociale",
           "Aiuto pratiche online", "Accompagnamento visite", "Orientamento casa"]
enti = ["Cooperativa Sociale Il Ponte s.c.s.", "Associazione Porta Aperta APS", "Parrocchia San Gioachino",
        "ASS. VICINI DI CASA ODV", "Fondazione Comunità Attiva ETS", "Coop. Soc. La Rete", "Società San Vincenzo de' Paoli",
        "Associazione Città Solidale ONLUS", "Casa del Quartiere Più Spazio"]
vie = ["Via Roma", "Corso Giulio Cesare", "Piazza della Repubblica", "Via Di Nanni", "C.so Francia", "Via Cigna",
       "Largo Saluzzo", "Via Nizza", "P.zza Università", "Strada del Fortino"]
comuni = [("Torino", "101"), ("Collegno", "10093"), ("Ivrea", "10015"), ("Settimo T.se", "10036"), ("Brescia", "251"),
          ("Cirie'", "10073"), ("Rivarolo C.se", "10086")]
parole = ("aiuto ascolto persone anziane famiglie quartiere volontari appuntamento gratuito servizio rete comunità "
          "attività più città perché già così caffè").split()
stati = ["Attivo", "attivo", "Sospeso", "Chiuso temporaneamente"]


def telefono():
    n = rng.randrange(1000000, 9999999)
    forms = [f"011 {n}", f"011-{n // 10000}.{n % 10000:04d}", f"(011) {n}", f"tel. 3{n}{rng.randrange(10, 99)}",
             f"011 {n} / 333 {n % 1000000:06d}"]
    return rng.choice(forms)


def quote(value):
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("codice,servizio,ente,descrizione,indirizzo,cap,comune,telefono,email,stato,aggiornato,eta_minima\r\n")
    for i in range(rows):
        servizio = rng.choice(servizi)
        ente = rng.choice(enti)
        parts = [rng.choice(parole) for _ in range(rng.randrange(8, 16))]
        descrizione = " ".join(parts).capitalize() + ", " + rng.choice(parole) + "."
        if rng.random() < 0.1:
            descrizione += '\n"Su appuntamento", chiamare prima.'
        via = f"{rng.choice(vie)}, {rng.randrange(1, 200)}"
        comune, cap = rng.choice(comuni)
        if len(cap) == 3:
            cap = cap + f"{rng.randrange(20, 57):02d}"
        email = f"info{i % 997}@" + ente.split()[-1].lower().strip(".") + ".it"
        data = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/20{rng.randrange(20, 27)}"
        eta = str(rng.choice([0, 6, 14, 18, 65, 70])) if rng.random() < 0.3 else ""
        fields = [f"S{i:07d}", servizio, ente, descrizione, via, cap, comune, telefono(), email, rng.choice(stati), data, eta]
        f.write(",".join(quote(x) for x in fields) + "\r\n")
