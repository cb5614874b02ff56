#!/usr/bin/env python3
"""Labelled organization records for the deduplication benchmark.

A deterministic (seeded) population of Italian third-sector bodies, parishes and public offices,
each with its places, seen by several partners who each write it their own way, with the hard
cases of DOMAIN.md: branches sharing a tax code, website and switchboard at other addresses;
parishes named after the same saint in different towns; bodies hosted at a parish or a Casa del
Quartiere sharing its address and phone; municipal and health-authority offices sharing one tax
code. Writes one HSDS organization JSON Lines file per partner and truth.csv:
record_id,location_id,organization,location (the entity and place each record and location is).

Usage: generate_dedupe.py --records 5000 --seed 7 OUTDIR
Reads the municipality list from ../shared/reference/comuni/comuni.json (ISTAT fields only).
"""
import argparse, csv, json, os, random, sys, uuid

HERE = os.path.dirname(os.path.abspath(__file__))
COMUNI = os.path.join(HERE, "..", "..", "shared", "reference", "comuni", "comuni.json")

NOUNS = ["Ponte", "Riparo", "Faro", "Porta Aperta", "Arcobaleno", "Tenda", "Sorgente", "Girasole", "Melograno",
         "Quercia", "Approdo", "Cammino", "Orizzonte", "Mosaico", "Filo d'Erba", "Germoglio", "Nido", "Aquilone",
         "Crocevia", "Bussola", "Albero", "Sentiero", "Ancora", "Fontana", "Focolare", "Rifugio", "Pozzo",
         "Lanterna", "Vela", "Seme", "Raggio", "Stella", "Gabbiano", "Colibrì", "Delfino", "Airone", "Glicine",
         "Tiglio", "Castagno", "Ulivo", "Papavero", "Fiordaliso", "Calicanto", "Mandorlo", "Gelso", "Acero",
         "Sole", "Luna", "Vento", "Mare", "Monte", "Fiume", "Isola", "Cortile", "Piazza", "Casa", "Rete",
         "Ponte Solidale", "Mani Unite", "Cuore", "Abbraccio", "Incontro", "Dialogo", "Amicizia", "Speranza"]
ADJECTIVES = ["", "Solidale", "Aperto", "Nuovo", "Comune", "Sociale", "Verde", "d'Argento", "del Borgo",
              "di Quartiere", "Insieme", "Onda", "Blu", "Rosso", "Antico", "Giovane", "Libero", "Vivo",
              "Sereno", "Felice", "Lontano", "Vicino", "Grande", "Piccolo", "di Luce", "in Festa", "Amico"]
GIVEN = ["Carlo", "Giovanni", "Maria", "Anna", "Luigi", "Giuseppe", "Teresa", "Pier Giorgio", "Francesco",
         "Lucia", "Paolo", "Angela", "Domenico", "Rosa", "Vittorio", "Elena", "Michele", "Clara", "Alberto", "Rita",
         "Bruno", "Giorgio", "Franca", "Renato", "Ada", "Enrico", "Marisa", "Sergio", "Emilia", "Aldo", "Nella",
         "Primo", "Lidia", "Ettore", "Gianna", "Cesare", "Irene", "Oreste", "Silvia", "Dario", "Nives", "Tullio"]
SURNAMES = ["Rossi", "Ferrero", "Bianchi", "Molo", "Gallo", "Bertolino", "Gribaudo", "Chiesa", "Martini",
            "Rinaldi", "Costa", "Fontana", "Marchetti", "Barbero", "Conti", "Greco", "Bruno", "Ricci", "Villa",
            "Colombo", "Sacco", "Bosio", "Operti", "Cena", "Allamano", "Murialdo", "Faà di Bruno", "Lazzati",
            "Bertola", "Cravero", "Gianotti", "Peyron", "Revelli", "Olivetti", "Levi", "Ginzburg", "Pavese", "Gobetti",
            "Einaudi", "Lajolo", "Fenoglio", "Arpino", "Natta", "Pertini", "Salvemini", "Gramsci", "Montessori",
            "Agnesi", "Cottolengo", "Cafasso", "Lanza", "Sella", "Giolitti", "Bonelli", "Audisio", "Crosetto",
            "Druetta", "Giordano", "Mondino", "Rabbia", "Tesio", "Viotti", "Zanotti", "Balbo", "Boggio", "Cerutti"]
SAINTS = ["San Giuseppe", "Sant'Anna", "San Giovanni Battista", "Santa Maria Assunta", "San Martino",
          "San Lorenzo", "San Michele Arcangelo", "Santa Rita", "San Francesco d'Assisi", "San Pietro",
          "Santi Pietro e Paolo", "San Grato", "San Secondo", "Santa Croce", "San Giorgio", "San Rocco"]
OFFICES = ["Servizi Sociali", "Informagiovani", "Ufficio Casa", "Sportello Lavoro", "Biblioteca Civica",
           "Anagrafe", "Centro per le Famiglie", "URP", "Ufficio Pace", "Sportello Stranieri"]
HEALTH = ["Consultorio Familiare", "Centro di Salute Mentale", "SerD", "Poliambulatorio", "Distretto Sanitario",
          "Punto Prelievi", "Neuropsichiatria Infantile"]
STREETS = [("via", "Roma"), ("via", "Garibaldi"), ("via", "Mazzini"), ("corso", "Vittorio Emanuele II"),
           ("via", "Cavour"), ("via", "XX Settembre"), ("piazza", "della Repubblica"), ("corso", "Francia"),
           ("via", "Nizza"), ("via", "Po"), ("piazza", "San Carlo"), ("corso", "Giulio Cesare"),
           ("via", "Cibrario"), ("largo", "Saluzzo"), ("via", "Borgo Dora"), ("corso", "Regina Margherita"),
           ("via", "Madama Cristina"), ("piazzale", "Croce Rossa"), ("strada", "del Drosso"), ("viale", "dei Mille"),
           ("via", "Don Bosco"), ("via", "Matteotti"), ("via", "Gramsci"), ("piazza", "Castello"), ("via", "Dante"),
           ("via", "Verdi"), ("corso", "Matteotti"), ("via", "Italia"), ("viale", "Europa"), ("via", "della Pace"),
           ("via", "San Francesco"), ("vicolo", "del Pozzo"), ("piazza", "Martiri della Libertà"),
           ("via", "Leopardi"), ("via", "Manzoni"), ("corso", "Torino"), ("via", "Milano"), ("via", "Trieste"),
           ("via", "Trento"), ("via", "Montegrappa"), ("via", "Vespucci"), ("via", "Colombo"), ("via", "Cuneo")]
STREET_SPELLINGS = {"via": ["Via", "V.", "VIA", "via"], "corso": ["Corso", "C.so", "Cso", "CORSO"],
                    "piazza": ["Piazza", "P.za", "P.zza", "PIAZZA"], "piazzale": ["Piazzale", "P.le"],
                    "largo": ["Largo", "L.go"], "strada": ["Strada", "Str."], "viale": ["Viale", "V.le"],
                    "vicolo": ["Vicolo", "V.lo"]}
FREE_MAIL = ["gmail.com", "libero.it", "yahoo.it", "hotmail.it", "alice.it"]
PARTNERS = ["portinerie-torino", "punti-comunita-brescia", "living-better-ivrea", "torino-solidale",
            "portale-dei-saperi", "sicura-collegno", "case-del-quartiere", "tolink-wecare"]


def luhn_piva(rng):
    while True:
        digits = [rng.randrange(10) for _ in range(7)]
        if any(digits):
            break
    office = rng.choice(list(range(1, 101)) + [120, 121])
    digits += [office // 100, office // 10 % 10, office % 10]
    total = 0
    for i, d in enumerate(digits):
        if i % 2 == 0:
            total += d
        else:
            total += d * 2 - 9 if d * 2 > 9 else d * 2
    digits.append((10 - total % 10) % 10)
    return "".join(map(str, digits))


def strip_accents(text):
    table = str.maketrans("àèéìòùÀÈÉÌÒÙ", "aeeiouAEEIOU")
    return text.translate(table)


def accents_as_apostrophes(text):
    out = []
    for ch in text:
        if ch in "àèéìòù":
            out.append(strip_accents(ch) + "'")
        elif ch in "ÀÈÉÌÒÙ":
            out.append(strip_accents(ch) + "'")
        else:
            out.append(ch)
    return "".join(out)


def typo(rng, text):
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    p = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w = w[:p] + w[p + 1:]
    elif kind == 1:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    else:
        w = w[:p] + rng.choice("aeiourtn") + w[p + 1:]
    words[i] = w
    return " ".join(words)


class World:
    def __init__(self, rng, comuni):
        self.rng = rng
        piemonte = [c for c in comuni if c["regione"]["nome"] == "Piemonte"]
        lombardia = [c for c in comuni if c["provincia"]["nome"] == "Brescia"]
        self.towns = piemonte + lombardia
        # Big towns are chosen more often (population as weight, damped).
        self.weights = [max(c.get("popolazione", 1000), 300) ** 0.7 for c in self.towns]
        self.entities = []
        self.next_place = 0
        self.bodies = set()
        self.names = set()
        self.taken = set()
        self.by_province = {}
        for c in self.towns:
            self.by_province.setdefault(c["sigla"], []).append(c)

    def town(self):
        return self.rng.choices(self.towns, weights=self.weights)[0]

    def nearby(self, town):
        """A town of the same province: branches open near their seat."""
        same = [c for c in self.by_province[town["sigla"]]]
        return self.rng.choice(same)

    def area_code(self, town):
        return {"TO": "011", "BS": "030", "CN": "0171", "AT": "0141", "AL": "0131", "NO": "0321", "VC": "0161",
                "BI": "015", "VB": "0323"}.get(town["sigla"], "011")

    def phone(self, town):
        if self.rng.random() < 0.25:
            return "3" + "".join(str(self.rng.randrange(10)) for _ in range(9))
        return self.area_code(town) + "".join(str(self.rng.randrange(10)) for _ in range(7))

    def place(self, town=None, host=None):
        self.next_place += 1
        if host is not None:
            return dict(host, id=self.next_place, host=True)
        town = town or self.town()
        kind, street = self.rng.choice(STREETS)
        number = str(self.rng.randrange(1, 180))
        if self.rng.random() < 0.08:
            number += self.rng.choice(["A", "B", "C"])
        return {"id": self.next_place, "town": town, "kind": kind, "street": street, "number": number,
                "phone": self.phone(town) if self.rng.random() < 0.6 else None}

    def unique(self, base, town):
        """`base`, or `base` + town, or with a number: a name no other body has taken."""
        for candidate in [base, base + town] + [base + town + str(i) for i in range(2, 1000)]:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate

    def slug(self, name):
        base = "".join(ch for ch in strip_accents(name.lower()) if ch.isalnum())
        return base[:24] or "ente"


def name_core(rng, world):
    """Names as varied as real ones: a few well-worn ones (`Il Ponte`) recur across towns,
    most combine words, people or places."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(NOUNS)
    if roll < 0.35:
        return rng.choice(NOUNS) + " " + rng.choice(ADJECTIVES[1:])
    if roll < 0.55:
        return rng.choice(NOUNS) + " " + rng.choice(["di ", "del ", ""]) + world.town()["nome"]
    if roll < 0.8:
        return rng.choice(GIVEN) + " " + rng.choice(SURNAMES)
    return rng.choice(NOUNS) + " e " + rng.choice(NOUNS)


def make_entities(world, count):
    rng = world.rng
    hosts = []
    while len(world.entities) < count:
        n = len(world.entities)
        roll = rng.random()
        entity = {"n": n, "tax": luhn_piva(rng) if rng.random() < 0.92 else None, "places": []}
        if roll < 0.34:
            core = name_core(rng, world)
            article = rng.choice(["Il ", "La ", "", ""]) if rng.random() < 0.3 else ""
            entity.update(kind="association", name="Associazione " + article + core.strip(),
                          forms=rng.choice([["APS"], ["ODV"], ["ONLUS"], ["APS", "ETS"], ["ODV", "ETS"], []]))
        elif roll < 0.54:
            core = name_core(rng, world)
            entity.update(kind="cooperative", name="Cooperativa Sociale " + core.strip(), forms=["s.c.s."])
        elif roll < 0.66:
            entity.update(kind="parish", name="Parrocchia " + rng.choice(SAINTS), forms=[])
        elif roll < 0.71:
            entity.update(kind="house", name="Casa del Quartiere " + rng.choice(NOUNS + [t["nome"] for t in [world.town()]]), forms=[])
        elif roll < 0.79:
            town = world.town()
            if ("comune", town["codice"]) in world.bodies:
                continue
            world.bodies.add(("comune", town["codice"]))
            entity.update(kind="municipality", name="Comune di " + town["nome"], forms=[], home=town,
                          offices=rng.sample(OFFICES, rng.randint(2, 5)))
            entity["tax"] = luhn_piva(rng)
        elif roll < 0.83:
            town = world.town()
            asl = "ASL " + town["sigla"] + str(rng.randint(1, 5))
            if asl in world.bodies:
                continue
            world.bodies.add(asl)
            entity.update(kind="health", name=asl, forms=[], home=town,
                          offices=rng.sample(HEALTH, rng.randint(2, 5)))
            entity["tax"] = luhn_piva(rng)
        elif roll < 0.90:
            entity.update(kind="foundation", name="Fondazione " + rng.choice(GIVEN) + " " + rng.choice(SURNAMES), forms=["ETS"] if rng.random() < 0.5 else [])
        else:
            entity.update(kind="sports", name="A.S.D. " + rng.choice(NOUNS) + " " + rng.choice(["Sport", "Volley", "Basket", "Calcio", "Danza"]), forms=[])
        home = entity.get("home") or world.town()
        # Two bodies of one name in one town are rare (registries refuse them): draw again.
        if (entity["name"], home["codice"]) in world.names:
            continue
        world.names.add((entity["name"], home["codice"]))
        entity["home"] = home
        # A domain or mailbox belongs to one body: namesakes elsewhere add their town or a number.
        domain = world.unique(world.slug(entity["name"].split(" ", 1)[-1]), world.slug(home["nome"])) + rng.choice([".it", ".org", ".it"])
        entity["domain"] = domain if rng.random() < 0.75 else None
        entity["email"] = ("info@" + domain) if entity["domain"] and rng.random() < 0.8 else \
            (world.unique(world.slug(entity["name"]), world.slug(home["nome"])) + "@" + rng.choice(FREE_MAIL))
        entity["switchboard"] = world.phone(home)
        # Places: offices, branches, or one seat (hosted at a parish or house for some).
        if entity["kind"] in ("municipality", "health"):
            for office in entity["offices"]:
                p = world.place(town=home if rng.random() < 0.8 else world.town())
                p["office"] = office
                entity["places"].append(p)
        else:
            branches = 1
            if entity["kind"] in ("association", "cooperative") and rng.random() < 0.25:
                branches = rng.randint(2, 4)
            for b in range(branches):
                if b == 0 and hosts and entity["kind"] in ("association", "sports") and rng.random() < 0.12:
                    host = rng.choice(hosts)
                    p = world.place(host=host["places"][0])
                    if rng.random() < 0.5:
                        entity["switchboard"] = host["switchboard"]
                else:
                    p = world.place(town=home if b == 0 or rng.random() < 0.5 else world.nearby(home))
                entity["places"].append(p)
        if entity["kind"] in ("parish", "house"):
            hosts.append(entity)
        world.entities.append(entity)


def written_name(rng, entity, style, place):
    name = entity["name"]
    if entity["kind"] in ("municipality", "health"):
        name = name + rng.choice([" - ", " – ", ", ", " "]) + place["office"]
    r = rng.random()
    if name.startswith("Associazione ") and r < 0.35:
        name = rng.choice(["Ass. ", "Ass.ne ", "Assoc. ", "ASS. "]) + name[len("Associazione "):]
    if name.startswith("Cooperativa Sociale ") and r < 0.4:
        name = rng.choice(["Coop. Soc. ", "Coop. Sociale ", ""]) + name[len("Cooperativa Sociale "):]
    if name.startswith("Parrocchia ") and r < 0.3:
        name = "Parr. " + name[len("Parrocchia "):]
    if " San " in name or " Sant" in name or " Santa " in name:
        if rng.random() < 0.3:
            name = name.replace(" San ", " S. ").replace(" Santa ", " S. ").replace(" Sant'", " S. ")
    forms = entity["forms"]
    if forms and rng.random() < 0.6:
        dotted = ".".join(forms[0]) + "." if forms[0].isupper() else forms[0]
        name += " " + rng.choice([" ".join(forms), "- " + " ".join(forms), dotted])
    if entity["kind"] in ("association", "cooperative") and len(entity["places"]) > 1 and rng.random() < 0.3:
        name += " - sede di " + place["town"]["nome"]
    if style["caps"] or rng.random() < 0.08:
        name = name.upper()
    if style["apostrophes"]:
        name = accents_as_apostrophes(name)
    if rng.random() < 0.08:
        name = typo(rng, name)
    return name


def written_tax(rng, tax):
    r = rng.random()
    if r < 0.5:
        return tax
    if r < 0.65:
        return "IT" + tax
    if r < 0.75:
        return tax[:3] + " " + tax[3:7] + " " + tax[7:]
    if r < 0.9 and tax.startswith("0"):
        return tax.lstrip("0")
    return tax


def written_phone(rng, number):
    if number.startswith("3"):
        return rng.choice([number, number[:3] + " " + number[3:], "+39 " + number[:3] + " " + number[3:], "cell. " + number])
    area, rest = (number[:3], number[3:]) if number.startswith("01") and len(number) == 10 else (number[:4], number[4:])
    return rng.choice([number, area + "-" + rest[:3] + "." + rest[3:5] + "." + rest[5:], "(" + area + ") " + rest[:3] + " " + rest[3:],
                       "tel. " + area + " " + rest, "+39 " + area + " " + rest, area + "/" + rest])


def written_town(rng, town, style):
    name = town["nome"]
    words = name.split(" ")
    r = rng.random()
    if len(words) == 2 and words[1].endswith("ese") and r < 0.4:
        return words[0] + " " + words[1][0] + ".se"
    if r < 0.15:
        return name.upper()
    if style["apostrophes"] or r < 0.25:
        return accents_as_apostrophes(name)
    if r < 0.3:
        return name + " (" + town["sigla"] + ")"
    return name


def written_street(rng, place):
    kind = rng.choice(STREET_SPELLINGS[place["kind"]])
    street = place["street"]
    if rng.random() < 0.1:
        street = street.upper()
    number = place["number"]
    r = rng.random()
    if r < 0.05:
        number_text = ""
    elif r < 0.35:
        number_text = ", " + number
    elif r < 0.5:
        number_text = " n. " + number
    elif r < 0.6:
        number_text = " N° " + number
    elif r < 0.65:
        number_text = " civ. " + number
    elif number[-1].isalpha() and r < 0.8:
        number_text = " " + number[:-1] + "/" + number[-1].lower()
    else:
        number_text = " " + number
    text = kind + " " + street + number_text
    if rng.random() < 0.04:
        text = typo(rng, text)
    return text


def record_for(rng, entity, places, partner, style, seq):
    rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    first = places[0]
    org = {"id": rid, "name": written_name(rng, entity, style, first)}
    if entity["tax"] and rng.random() < style["tax"]:
        org["tax_id"] = written_tax(rng, entity["tax"])
    if entity["email"] and rng.random() < 0.5:
        email = entity["email"]
        org["email"] = rng.choice([email, email.upper(), "mailto:" + email])
    if entity["domain"] and rng.random() < 0.45:
        org["website"] = rng.choice(["www." + entity["domain"], "https://www." + entity["domain"] + "/", "http://" + entity["domain"]])
    phones = []
    if rng.random() < 0.6:
        phones.append({"number": written_phone(rng, entity["switchboard"])})
    org["phones"] = phones
    locations = []
    truth = []
    for place in places:
        lid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        address = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "location_id": lid,
                   "address_1": written_street(rng, place), "city": written_town(rng, place["town"], style),
                   "country": "IT", "address_type": "physical", "state_province": place["town"]["sigla"]}
        location = {"id": lid, "organization_id": rid, "location_type": "physical", "addresses": [address]}
        if "office" in place:
            location["name"] = place["office"]
        if place.get("phone") and rng.random() < 0.5:
            location["phones"] = [{"number": written_phone(rng, place["phone"])}]
        locations.append(location)
        truth.append((rid, lid, "org-%d" % entity["n"], "place-%d-%d" % (entity["n"], place["id"])))
    org["locations"] = locations
    return org, truth


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("outdir")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    comuni = json.load(open(COMUNI, encoding="utf-8"))
    world = World(rng, comuni)
    make_entities(world, max(10, args.records * 10 // 23))
    styles = {p: {"caps": i % 4 == 1, "apostrophes": i % 3 == 2, "tax": [0.9, 0.5, 0.7, 0.3, 0.6, 0.8, 0.4, 0.7][i]}
              for i, p in enumerate(PARTNERS)}
    os.makedirs(args.outdir, exist_ok=True)
    files = {p: open(os.path.join(args.outdir, p + ".jsonl"), "w", encoding="utf-8") for p in PARTNERS}
    truth_file = open(os.path.join(args.outdir, "truth.csv"), "w", newline="", encoding="utf-8")
    truth = csv.writer(truth_file)
    truth.writerow(["record_id", "location_id", "organization", "location"])
    written = 0
    while written < args.records:
        for entity in world.entities:
            if written >= args.records:
                break
            appearances = 1 + min(int(rng.expovariate(0.75)), len(PARTNERS) - 1)
            for partner in rng.sample(PARTNERS, appearances):
                places = entity["places"]
                if entity["kind"] in ("municipality", "health"):
                    chosen = [[p] for p in rng.sample(places, rng.randint(1, len(places)))]
                elif len(places) > 1 and rng.random() < 0.5:
                    chosen = [[p] for p in rng.sample(places, rng.randint(1, len(places)))]
                elif len(places) > 1:
                    chosen = [places]
                else:
                    chosen = [places]
                for group in chosen:
                    record, rows = record_for(rng, entity, group, partner, styles[partner], written)
                    files[partner].write(json.dumps(record, ensure_ascii=False) + "\n")
                    truth.writerows(rows)
                    written += 1
    for f in files.values():
        f.close()
    truth_file.close()
    print("%d records of %d organizations from %d partners in %s" % (written, len(world.entities), len(PARTNERS), args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
