#!/usr/bin/env python3
"""Second deduplication benchmark generator ("B"): labelled HSDS 3.0 organization records from eight partners.

Turin-area and Piedmont bodies (associazioni, ODV, APS, cooperative sociali, fondazioni, ASD, comitati, circoli, oratori,
parishes, Comuni and their offices, ASL and their services, Case del Quartiere), each with 1-4 physical places, are
described by 1-6 of eight partners. Written apart from the matcher and from bench/generate_dedupe.py, its angle is how
each partner *writes* a record, with its own habits: the whole address in one cell or "CAP town" in the city field;
towns in another language or case, with the province, or left to the postal code; street types and house numbers
abbreviated every way, floors, "c/o" hosts; names reordered, quoted, cut to an acronym or short name, legal forms
(ODV, APS, Onlus, ETS, S.C.S.) anywhere, one partner's name another's alternate_name; typing errors; phones in every
format; PEC beside or instead of the e-mail; Facebook and Instagram pages as the website; fields missing or empty.
And look-alikes that are NOT duplicates: branches of one body (same organization, other places), parishes of one saint
in different towns, bodies hosted at a parish or Casa del Quartiere (its address, maybe its phone: other organizations),
a Comune's offices (one organization, several places), the same generic name in other towns.

Usage: generate_dedupe_b.py --records N --seed S OUTDIR   writes OUTDIR/<partner>.jsonl (one organization a line)
and OUTDIR/truth.csv (record_id,location_id,organization,location). Standard library only; deterministic per seed.
"""
import argparse, csv, json, os, random, re, sys, time, unicodedata, uuid

def words(text):
    return [w.strip() for w in text.split("|")]


# name, postal code(s), phone prefix, weight, area (the partners' catchments), province if not TO.
# Postal codes checked against ISTAT's comuni.json (../shared/reference/comuni); 10040 is shared by several towns.
TOWNS = [("Torino", [str(c) for c in range(10121, 10157)], "TO", "011", 420, "torino")] + [
    (r[0], r[1].split("/"), r[5] if len(r) > 5 else "TO", r[2], int(r[3]), r[4]) for r in (
        [f.strip() for f in row.split(",")] for row in """
    Moncalieri,10024,011,30,sud; Nichelino,10042,011,26,sud; Trofarello,10028,011,8,sud; La Loggia,10040,011,5,sud;
    Carmagnola,10022,011,15,sud; Vinovo,10048,011,8,sud; Santena,10026,011,7,sud; Chieri,10023,011,20,sud;
    Collegno,10093,011,26,ovest; Grugliasco,10095,011,20,ovest; Rivoli,10098,011,26,ovest; Orbassano,10043,011,12,ovest;
    Rivalta di Torino,10040,011,10,ovest; Piossasco,10045,011,10,ovest; Beinasco,10092,011,10,ovest;
    Alpignano,10091,011,9,ovest; Giaveno,10094,011,9,ovest; Pianezza,10044,011,8,ovest; Avigliana,10051,011,7,ovest;
    Venaria Reale,10078,011,18,ovest; Susa,10059,0122,5,ovest; Bussoleno,10053,0122,4,ovest;
    Pinerolo,10064,0121,22,pinerolese; Luserna San Giovanni,10062,0121,6,pinerolese; Torre Pellice,10066,0121,5,pinerolese;
    Cumiana,10040,011,4,pinerolese; Bricherasio,10060,0121,3,pinerolese; Villar Perosa,10069,0121,3,pinerolese;
    Cavour,10061,0121,3,pinerolese; Ivrea,10015,0125,16,canavese; Rivarolo Canavese,10086,0124,8,canavese;
    Cuorgnè,10082,0124,6,canavese; Castellamonte,10081,0124,5,canavese; Caluso,10014,011,4,canavese;
    Strambino,10019,0125,3,canavese; Banchette,10010,0125,2,canavese; Favria,10083,0124,3,canavese;
    Settimo Torinese,10036,011,24,nord; San Mauro Torinese,10099,011,10,nord; Ciriè,10073,011,10,nord;
    Leini,10040,011,8,nord; Volpiano,10088,011,8,nord; Caselle Torinese,10072,011,7,nord; Borgaro Torinese,10071,011,6,nord;
    Lanzo Torinese,10074,0123,3,nord; Chivasso,10034,011,14,nord; Asti,14100,0141,12,piemonte,AT;
    Cuneo,12100,0171,10,piemonte,CN; Alba,12051,0173,6,piemonte,CN; Bra,12042,0172,5,piemonte,CN;
    Alessandria,15121/15122,0131,12,piemonte,AL; Casale Monferrato,15033,0142,5,piemonte,AL;
    Novara,28100,0321,12,piemonte,NO; Biella,13900,015,7,piemonte,BI; Vercelli,13100,0161,7,piemonte,VC;
    Verbania,28921/28922,0323,5,piemonte,VB""".split(";"))]
PROVINCE = {"TO": "Torino", "AT": "Asti", "CN": "Cuneo", "AL": "Alessandria", "NO": "Novara", "BI": "Biella",
            "VC": "Vercelli", "VB": "Verbano-Cusio-Ossola"}
TAX_OFFICE = {"TO": "001", "VC": "002", "NO": "003", "CN": "004", "AT": "005", "AL": "006", "BI": "096", "VB": "103"}
OTHER_LANGUAGE = {"Torino": ["Turin", "Turin", "Turín"], "Pinerolo": ["Pignerol"], "Susa": ["Suse"], "Cuneo": ["Coni"],
                  "Alessandria": ["Alexandria"], "Novara": ["Novare"], "Ivrea": ["Ivrée"]}
CAP_SHARED = {c for t in TOWNS for c in t[1] if sum(c in u[1] for u in TOWNS) > 1}

STREETS = [(kind.strip(), "", n) for kind, names in (row.split(":") for row in """
    Corso: Francia|Vittorio Emanuele II|Giulio Cesare|Regina Margherita|Unione Sovietica|Traiano|Orbassano|Racconigi|
    Grosseto|Vercelli|Novara|Casale|Moncalieri|Peschiera|Massimo d'Azeglio|Galileo Ferraris|Re Umberto|Sebastopoli|Torino;
    Via: Roma|Nizza|Madama Cristina|Po|Cernaia|San Donato|Sacchi|Cibrario|Principe Amedeo|Borgaro|Chiesa della Salute|
    Bardonecchia|Monginevro|Filadelfia|Torino|Pinerolo|San Secondo|Santa Giulia|Belfiore|Stradella|Lanzo|della Rocca;
    Piazza: Castello|Vittorio Veneto|San Carlo|Statuto|Carlo Felice|della Repubblica|Solferino|Bengasi|Sabotino|
    del Municipio|della Chiesa|Cavour|Martiri della Libertà; Viale: dei Mughetti|Europa|Partigiani|della Rimembranza;
    Largo: Saluzzo|Orbassano|Dora Firenze|Montebello; Vicolo: del Forno|San Lorenzo;
    Strada: del Drosso|Castello di Mirafiori|Antica di Collegno|San Mauro|del Fortino""".split(";"))
    for n in words(names)] + [("Via",) + tuple(p.split(" ", 1)) for p in words(
        "Giuseppe Garibaldi|Giuseppe Mazzini|Antonio Gramsci|Giacomo Matteotti|Giuseppe Verdi|Alessandro Manzoni|"
        "Dante Alighieri|Cesare Battisti|Silvio Pellico|Vittorio Alfieri|Giovanni Giolitti|Nazario Sauro|Goffredo Mameli|"
        "Guglielmo Marconi|Aldo Moro|Piero Gobetti|Luigi Einaudi|Dante Di Nanni|Pietro Cossa")]
STREET_TYPE = {"Via": ["V.", "V", "via", "VIA"], "Corso": ["C.so", "C/so", "Cso", "corso", "C.SO"],
               "Piazza": ["P.za", "P.zza", "Pza", "P.", "piazza", "p.zza"], "Viale": ["V.le", "Vle", "viale"],
               "Largo": ["L.go", "Lgo", "largo"], "Strada": ["Str.", "Str", "strada"], "Vicolo": ["V.lo", "Vic.", "vicolo"]}
EXTRAS = {"1° piano": ["1° piano", "piano 1", "primo piano", "1° p."], "2° piano": ["2° piano", "secondo piano", "p. 2"],
          "piano terra": ["piano terra", "p.t.", "PT", "piano terreno"], "int. 3": ["int. 3", "interno 3", "int.3"],
          "int. 12": ["int. 12", "interno 12"], "scala B": ["scala B", "sc. B", "scala b"]}

CORES = words("Il Ponte|Arcobaleno|La Tenda|Il Sorriso|Nuovi Orizzonti|Casa Aperta|Il Girasole|La Goccia|Il Mosaico|"
              "La Bussola|Il Faro|Insieme|Oltre|Il Granello|La Finestra|Il Melograno|La Strada|Il Cammino|L'Albero|"
              "La Rondine|Il Quadrifoglio|La Fenice|Il Seme|Terra Nuova|Porta Aperta|Il Filo d'Erba|La Sorgente|"
              "Il Cerchio|Il Germoglio|Crescere Insieme|Il Cortile|La Piazza|Piccoli Passi|Passo dopo Passo|Mille Colori|"
              "Il Volo|L'Aquilone|La Scialuppa|Il Nodo|Il Tetto|Gruppo Abele|Gruppo Arco|Gruppo Emmaus|Il Margine|"
              "Il Punto|Articolo 3|Altrove|Babel|Il Pozzo|La Carovana|Il Sentiero|L'Approdo|Mani Aperte|Il Frutteto|"
              "Amici del Cuore|Ali di Farfalla|La Lanterna|Il Cantiere|Alma Terra|La Meridiana|Il Delfino|Stella Polare|"
              "Il Gabbiano|Noi con Voi|Un Sorriso per Tutti|Il Borgo|La Collina|Sole e Luna|Primavera|Orizzonte|"
              "Il Glicine|La Quercia|L'Ulivo|Il Canneto")
QUALIFIERS = words("Solidale|Insieme|Giovani|Donne|per la Famiglia|per l'Infanzia|Sociale|2000|Nord|Sud|Mirafiori|"
                   "San Salvario|Barriera|Vanchiglia|Aurora|Borgo Po|della Collina|del Canavese|delle Valli|Valsusa|Est")
DESC = [words("di Animazione|per l'Assistenza|per la Promozione|per l'Integrazione|di Solidarietà|per il Sostegno|"
              "per la Tutela|di Mutuo Soccorso|per l'Accoglienza|di Volontari|per la Lotta"),
        words("Interculturale|Sociale|dei Malati|degli Anziani|delle Famiglie|dei Minori|dei Disabili|Giovanile|"
              "dei Migranti|Oncologica|Alzheimer|Psichiatrica|Ospedalieri|contro l'Emarginazione"),
        words("|||Torinese|Piemonte|Subalpina|Canavesana|Pinerolese")]
SAINTS = words("San Giovanni Battista|Santa Maria Assunta|San Remigio|Santi Pietro e Paolo|San Lorenzo|Sant'Anna|"
               "San Giuseppe|Nostra Signora del Suffragio|Santa Rita da Cascia|San Secondo|San Donato|Gesù Nazareno|"
               "Madonna della Salute|San Michele Arcangelo|Santa Croce|San Martino|San Bernardino|Santo Volto|"
               "Sacro Cuore di Gesù|San Giovanni Bosco|Maria Ausiliatrice|San Francesco d'Assisi|Santa Teresa|"
               "Santi Martiri|San Dalmazzo|San Massimo|Sant'Agostino|Beata Vergine delle Grazie|San Grato|San Pietro in Vincoli|"
               "Santa Maria della Stella|San Bartolomeo|Santo Stefano|San Paolo Apostolo|San Giacomo|Santa Caterina|"
               "Santa Barbara|San Rocco|Sant'Antonio Abate|San Marco Evangelista|Santissima Trinità|San Vincenzo de' Paoli|"
               "Sant'Ambrogio|San Giorgio|Madonna del Pilone|Santa Giulia|San Pio X|San Secondo Martire")
ORATORY_CORES = words("San Luigi|Don Bosco|Domenico Savio|Michele Rua|Pier Giorgio Frassati|San Filippo Neri|Laura Vicuña|"
                      "Don Orione|San Leonardo Murialdo|Giovanni XXIII")
FIRST = words("Mario|Luigi|Giovanni|Carlo|Paolo|Franco|Giuseppe|Anna|Maria|Lucia|Teresa|Elena|Piero|Sergio|Aldo|Bruno|"
              "Renato|Silvia|Chiara|Giulia|Marco|Andrea|Luca|Stefano|Roberto|Don Mario|Don Luigi|Suor Teresa")
LAST = words("Rossi|Bianchi|Ferrero|Gallo|Bruno|Ferrari|Rosso|Bianco|Colombo|Ricci|Marino|Greco|Costa|Giordano|Martini|"
             "Rinaldi|Barbero|Gili|Cerutti|Bosco|Audisio|Perotti|Chiesa|Bertolino|Operti|Allasia|Ghione|Cravero|Fassino|"
             "Gribaudo|Mollo|Tosco|Boero|Bonino|Demaria|Sola|Vigna|Racca|Merlo|Peano")
DISTRICTS = words("San Salvario|Borgo Vittoria|Barriera di Milano|Mirafiori Sud|Vanchiglia|Aurora|Pozzo Strada|"
                  "Santa Rita|Lingotto|Vallette|Falchera|Crocetta|Cit Turin|Madonna di Campagna|Parella|Lucento|Barca|"
                  "Regio Parco|Nizza Millefonti|Borgo Po")
OFFICES = words("Servizi Sociali|Informagiovani|Ufficio Casa|Sportello Stranieri|Biblioteca Civica|URP|"
                "Ufficio Politiche Sociali|Centro per le Famiglie")
ASL = [("ASL Città di Torino", "Città di Torino", ["torino"]), ("ASL TO3", "TO3", ["ovest", "pinerolese"]),
       ("ASL TO4", "TO4", ["canavese", "nord"]), ("ASL TO5", "TO5", ["sud"]), ("ASL CN1", "CN1", ["piemonte"]),
       ("ASL AT", "AT", ["piemonte"]), ("ASL AL", "AL", ["piemonte"]), ("ASL NO", "NO", ["piemonte"])]
ASL_SERVICES = words("Consultorio familiare|SerD|Centro di Salute Mentale|Distretto sanitario|Neuropsichiatria infantile")
BRANCH_NAMES = words("Centro diurno|Sportello|Punto d'ascolto|Laboratorio|Magazzino solidale|Doposcuola|"
                     "Sede operativa|Comunità alloggio|Centro d'ascolto")
# Each kind: how the legal type is written before the name (the first is the official one), then the legal
# forms written after it, today's (after the 2017 reform: ODV, APS, ETS) and the older ones a partner may keep.
PREFIX = {"odv": words("Associazione di volontariato|Associazione|Organizzazione di volontariato|Ass. di volontariato|Ass.ne"),
          "aps": words("Associazione di promozione sociale|Associazione|Ass. di promozione sociale|Assoc."),
          "assoc": words("Associazione|Ass.|Ass.ne|Assoc.|ASSOCIAZIONE"),
          "coop": words("Cooperativa sociale|Società cooperativa sociale|Coop. soc.|coop. soc.|Soc. Coop. Soc.|Cooperativa"),
          "fond": ["Fondazione", "Fond."], "asd": words("A.S.D.|ASD|Associazione sportiva dilettantistica|Ass. sportiva"),
          "comitato": ["Comitato", "Comit."], "circolo": ["Circolo", "Circ.", "Circolo culturale"],
          "oratorio": words("Oratorio|Oratorio parrocchiale|Orat."),
          "cdq": words("Casa del Quartiere|Casa di Quartiere|CdQ|Casa del quartiere")}
SUFFIX = {"odv": (words("ODV|ODV ETS|ODV-ETS|O.d.V.|(ODV)"), words("Onlus|ONLUS|")),
          "aps": (words("APS|APS ETS|A.P.S.|APS-ETS"), ["", "Onlus"]), "assoc": (["ETS", "Onlus", ""], ["Onlus", ""]),
          "coop": (words("S.C.S.|Onlus|scs|impresa sociale|"), words("Onlus|a r.l.|s.c.r.l.")),
          "fond": (["ETS", "Onlus", ""], ["Onlus", ""]), "asd": (["", "ASD"], [""]), "comitato": ([""], ["Onlus", ""]),
          "circolo": (["APS", ""], [""]), "oratorio": (["APS", "ANSPI", ""], [""]), "cdq": ([""], [""])}
KINDS = {"odv": 17, "aps": 15, "assoc": 12, "coop": 10, "fond": 4, "asd": 9, "comitato": 4, "circolo": 5, "parrocchia": 12,
         "oratorio": 4, "comune": 2, "asl": 0.4, "cdq": 1.2}
FREE_MAIL = words("gmail.com|libero.it|hotmail.it|yahoo.it|virgilio.it|tiscali.it|alice.it")
MOBILE = words("320|328|329|331|333|334|335|338|339|340|347|348|349|366|380|388|392")

def partner(name, area, kinds, base, **habits):
    """A partner's habits: probabilities (per record) of each way of writing or leaving out a field."""
    d = dict(name=name, area=area, kinds=kinds, base=base, tax=.7, phone=.85, email=.75, web=.6, pec=.2, addr=(6, 2, 1, 1),
             abbr=.3, num=.3, extra=.5, typo=.05, upper=.05, lower=.03, short=.1, alt=.1, quote=.2, reorder=.1, turin=0,
             nocity=.05, nocap=.1, split=.2, legacy=.3, locname=.3, phonefmt=("sp",), mobile=.1, taxfmt=0, empty=.3,
             state=("TO",), co=.5, dropfirst=.3)
    d.update(habits)
    return d

PARTNERS = [  # addr: weights of (split fields, whole address in address_1, "CAP town" in city, "town (TO)" in city)
    partner("csv-torino", None, {"odv": 3, "aps": 2.5, "assoc": 2, "coop": 1.2, "parrocchia": .3, "oratorio": .5, "asl": .3,
            "comune": .5, "asd": .6, "cdq": 1.5}, 1.8, tax=.92, pec=.5, legacy=.1, typo=.02, alt=.35,
            phonefmt=("sp", "sp", "intl"), state=("TO", "Torino"), nocap=.03),
    partner("rete-ivrea", ["canavese"], {}, 1, addr=(1, 6, 1, 1), upper=.4, phonefmt=("dots", "sl"), tax=.6, typo=.07,
            state=("TO", "", None), split=.35),
    partner("comune-moncalieri", ["sud"], {"comune": 3, "asl": 2, "cdq": 2}, 1, addr=(2, 1, 5, 3), tax=.5, web=.3,
            phonefmt=("sl", "sp", "br"), state=("Torino", "TO", "Città Metropolitana di Torino"), nocity=0, locname=.6),
    partner("caritas-diocesana", None, {"parrocchia": 4, "odv": 1.5, "oratorio": 1, "asd": .2, "circolo": .4, "comune": .8},
            1.3, addr=(2, 5, 1, 1), tax=.3, mobile=.35, phonefmt=("sp", "plain", "mob"), web=.35, co=.9, short=.2,
            abbr=.6, state=("TO", None)),
    partner("asl-to3", ["ovest", "pinerolese"], {"asl": 5, "coop": 2.5, "odv": 1.5, "fond": 1.2, "asd": .3, "parrocchia": .3},
            1, extra=.9, short=.3, alt=.3, phonefmt=("intl", "intl0", "tel"), pec=.6, split=.45, locname=.7,
            state=("TO", "Piemonte")),
    partner("portale-volontariato", None, {"odv": 2, "aps": 2, "assoc": 2, "asd": 1.5, "circolo": 1.5, "comitato": 1.5,
            "coop": .8, "parrocchia": .4, "comune": .3, "asl": .3, "fond": .6}, 1.5, tax=.15, web=.85, lower=.2, quote=.5,
            reorder=.35, turin=.5, typo=.12, nocap=.35, nocity=.1, phonefmt=("grp", "dash", "plain"), state=("", None, "Piemonte")),
    partner("oratori-salesiani", None, {"oratorio": 5, "asd": 3, "parrocchia": 2.5, "circolo": 1, "aps": 1, "odv": .3,
            "coop": .3, "fond": .3, "comune": .1, "asl": .05}, 1, upper=.3, abbr=.7, num=.6, mobile=.5,
            phonefmt=("mob", "plain", "sp"), tax=.4, email=.6, short=.35, co=.7, state=("TO", "(TO)")),
    partner("welfare-pinerolo", ["pinerolese"], {}, 1, addr=(4, 1, 2, 2), taxfmt=.12, alt=.5, abbr=.6, phonefmt=("sl", "tel"),
            state=("TO", "Torino"), split=.3, legacy=.6),
]
AREA_IN, AREA_OUT = 7.0, 0.12  # a local partner's weight for bodies with a place in its area, and for the others
ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
KEYS = {c: [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)] + [ROWS[q][i] for q in (r - 1, r + 1) if 0 <= q < 3 and i < len(ROWS[q])]
        for r, row in enumerate(ROWS) for i, c in enumerate(row)}

def typo(s, rng):
    """One typing error: two letters swapped, one dropped, doubled or replaced by a neighbouring key."""
    pos = [i for i in range(1, len(s) - 1) if s[i].isalpha()]
    if not pos:
        return s
    i = rng.choice(pos)
    c, k = s[i], rng.choice(KEYS.get(s[i].lower(), [s[i].lower()]))
    return rng.choice([s[:i] + s[i + 1] + c + s[i + 2:], s[:i] + s[i + 1:], s[:i] + c + s[i:],
                       s[:i] + (k.upper() if c.isupper() else k) + s[i + 1:]])

def maybe_typo(s, p, rng):  # one typing error, now and then two
    return (typo(typo(s, rng), rng) if rng.random() < .15 else typo(s, rng)) if s and rng.random() < p else s

def slug(s):
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", s.lower()).encode("ascii", "ignore").decode())

def check_digit(ten):
    """Partita IVA check digit: odd positions summed, even ones doubled (minus 9 above 9)."""
    s = sum(int(c) if i % 2 == 0 else (2 * int(c) - 9 if int(c) > 4 else 2 * int(c)) for i, c in enumerate(ten))
    return str((10 - s % 10) % 10)

class World:
    """The true population: entities with their places, and registers that keep identifiers unique."""

    def __init__(self, rng):
        self.rng, self.entities, self.used, self.hosts = rng, [], set(), {}  # hosts: town -> [(parish or CdQ, place)]
        self.parishes, self.comuni, self.asl = set(), set(), list(ASL)
        self.cdq = [(d, "Torino") for d in DISTRICTS] + [(d, t) for d in ("Centro", "Borgo Nuovo") for t in
                                                         ("Collegno", "Moncalieri", "Nichelino", "Settimo Torinese", "Pinerolo", "Ivrea")]
        rng.shuffle(self.cdq)

    def unique(self, make):
        for _ in range(10000):
            v = make()
            if v not in self.used:
                self.used.add(v)
                return v
        raise RuntimeError("no unique value left")

    def town(self, areas=None):
        pool = [t for t in TOWNS if t[5] in areas] if areas else TOWNS
        return self.rng.choices(pool, [t[4] for t in pool])[0]

    def digits(self, n):
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def landline(self, town):
        return self.unique(lambda: (town[3], str(self.rng.randint(2, 9)) + self.digits(9 - len(town[3]))))

    def mobile(self):
        return self.unique(lambda: (self.rng.choice(MOBILE), self.digits(7)))

    def tax(self, first, sigla):
        return self.unique(lambda: (lambda t: t + check_digit(t))(self.rng.choice(first) + self.digits(6) + TAX_OFFICE[sigla]))

    def place(self, town, name=None, street=None):
        r = self.rng
        st = street or r.choice(STREETS)
        return {"town": town, "street": st, "num": r.randint(1, 30 if st[0] in ("Piazza", "Largo", "Vicolo") else 320),
                "suffix": r.choice(["", "", "", "", "", "", "/A", "/B", " bis"]), "cap": r.choice(town[1]),
                "extra": r.choice(list(EXTRAS)) if r.random() < .3 else "", "name": name, "host": None, "phone": None}

    def new_entity(self):
        r = self.rng
        kind = r.choices(list(KINDS), list(KINDS.values()))[0]
        e = {"label": "O%06d" % (len(self.entities) + 1), "kind": kind, "acronym": "", "desc": False}
        town, places = self.town(), []
        if kind == "parrocchia":  # one parish of a saint per town: the same saint elsewhere is another parish
            keys = [(s, t) for s, t in ((r.choice(SAINTS), self.town()) for _ in range(5)) if (s, t[0]) not in self.parishes]
            kind = e["kind"] = "parrocchia" if keys else "odv"
        if kind == "parrocchia":
            e["core"], town = keys[0]
            self.parishes.add((e["core"], town[0]))
            places = [self.place(town)] + ([self.place(town, r.choice(["Oratorio", "Centro d'ascolto"]))] if r.random() < .15 else [])
        elif kind == "comune" and len(self.comuni) < len(TOWNS):  # one Comune per town, its offices its places
            while town[0] in self.comuni:
                town = self.town()
            self.comuni.add(town[0])
            hall = ("Piazza", "", "Palazzo di Città" if town[0] == "Torino" else "del Municipio")
            offices = r.sample(OFFICES, r.choices([1, 2, 3, 4], [25, 30, 25, 20])[0])
            e["core"], places = town[0], [self.place(town, o, hall if i == 0 else None) for i, o in enumerate(offices)]
        elif kind == "asl" and self.asl:
            e["core"], e["code"], areas = self.asl.pop(r.randrange(len(self.asl)))
            places = [self.place(self.town(areas), s) for s in r.sample(ASL_SERVICES, r.randint(2, 4))]
            town = places[0]["town"]
        elif kind == "cdq" and self.cdq:
            e["core"], name = self.cdq.pop()
            town = next(t for t in TOWNS if t[0] == name)
            places = [self.place(town)]
        else:
            kind = e["kind"] = "assoc" if kind in ("comune", "asl", "cdq") else kind
            twin = self.association(e, kind)
            while twin and twin["town"] == town:
                town = self.town()
            host = None
            if kind == "oratorio" or r.random() < .12:  # hosted at a parish or a Casa del Quartiere
                hosts = self.hosts.get(town[0]) or (self.hosts[r.choice(sorted(self.hosts))] if self.hosts else None)
                if hosts:
                    host = r.choice(hosts)
                    town = host[1]["town"]
                    if kind == "oratorio" and host[0]["kind"] == "parrocchia" and r.random() < .8:
                        e["core"] = host[0]["core"]
            for i in range(1 if host else r.choices([1, 2, 3, 4], [72, 18, 7, 3])[0]):
                if i == 0 and host:
                    p = dict(host[1], extra=r.choice(["", "", "1° piano", "2° piano", "piano terra"]), name=None,
                             host=host[0], phone=(host[1]["phone"] or host[0]["phone"]) if r.random() < .5 else None)
                else:  # a branch: in the same town, the same area or anywhere
                    t = town if i == 0 or r.random() < .4 else self.town([town[5]] if r.random() < .6 else None)
                    p = self.place(t, r.choice(BRANCH_NAMES) if i and r.random() < .6 else None)
                places.append(p)
        e["town"], e["places"] = town, places
        for i, p in enumerate(places):
            p["label"] = "%s-P%d" % (e["label"], i + 1)
            if p["phone"] is None and (i > 0 or kind == "comune") and r.random() < .6:
                p["phone"] = self.landline(p["town"])
        self.contacts(e)
        if kind in ("parrocchia", "cdq"):
            self.hosts.setdefault(town[0], []).append((e, places[0]))
        self.entities.append(e)
        return e

    def association(self, e, kind):
        r = self.rng
        twins = [x for x in self.entities[-400:] if x["kind"] == kind and not x["desc"]]
        if twins and r.random() < .07:  # the same generic name as another body, in another town
            twin = r.choice(twins)
            e["core"] = twin["core"]
            return twin
        if kind in ("odv", "aps", "assoc") and r.random() < .18:  # a descriptive name, known by its acronym
            e["core"], e["desc"] = " ".join(w for w in (r.choice(d) for d in DESC) if w), True
            e["acronym"] = "".join(w[0].upper() for w in ("Associazione " + e["core"]).replace("'", " ").split()
                                   if w[0].isupper() or len(w) > 4)
        elif kind == "oratorio":
            e["core"] = r.choice(ORATORY_CORES)
        else:
            u = r.random()  # a generic name alone (the same in many towns), with a qualifier, or a person's name
            e["core"] = r.choice(CORES) + ("" if u < .2 else " " + r.choice(QUALIFIERS + ["di " + t[0] for t in TOWNS[:30]])) \
                if u < .7 else r.choice(FIRST) + " " + r.choice(LAST)

    def contacts(self, e):
        r, kind, town = self.rng, e["kind"], e["town"]
        public = kind in ("comune", "asl")
        first = {"coop": "0", "fond": "09", "comune": "08", "asl": "0"}.get(kind, "98")
        e["tax"] = self.tax(first, town[2]) if public or r.random() < .85 else None
        e["phone"] = self.landline(town) if public or r.random() < .75 else None
        e["mob"] = self.mobile() if not public and (e["phone"] is None or r.random() < .35) else None
        s, ts = slug(e["acronym"] if e["desc"] else e["core"])[:18] or "ente", slug(town[0])
        if kind == "comune":
            e["domain"] = "comune.torino.it" if town[0] == "Torino" else "comune.%s.%s.it" % (ts, town[2].lower())
        elif kind == "asl":
            e["domain"] = "asl%s.piemonte.it" % slug(e["code"])
        elif kind == "parrocchia" or r.random() < .6:
            e["domain"] = self.unique(lambda: r.choice(["%s.org", "%s.it", "associazione%s.it", "%s-onlus.org", "%s" + ts[:6] + ".it",
                                                         "%s" + str(r.randint(1, 9999)) + ".it"] if kind != "parrocchia" else
                                                        ["parrocchia%s" + ts + ".it", "parrocchia%s" + str(r.randint(1, 99)) + ".it"]) % s[:14])
        else:
            e["domain"] = None
        small = kind in ("asd", "circolo", "comitato", "odv", "aps", "oratorio", "parrocchia")
        e["web"] = e["domain"] if public or (e["domain"] and r.random() < (.5 if small else .8)) else None
        e["social"] = None if public or r.random() > (.3 if e["web"] else .65) else self.unique(lambda: (
            r.choice(["facebook", "facebook", "instagram"]), r.choice(["%s.%s", "%s%s", "%s_%s", "%s.%s." + str(r.randint(1, 9999))]) % (s, ts[:6])))
        if e["domain"] and (public or r.random() < .8):
            e["email"] = r.choice(["info", "segreteria", "contatti", s[:10], "amministrazione"]) + "@" + e["domain"]
        elif r.random() < .7:
            e["email"] = self.unique(lambda: "%s%s%s@%s" % (s, r.choice(["", ".", "_"]) + ts[:6] if r.random() < .6 else "",
                                                            r.choice(["", str(r.randint(1, 999))]), r.choice(FREE_MAIL)))
        else:
            e["email"] = None
        pec = lambda local: r.choice([local + "@pec.it", local + "@legalmail.it"] + (["amministrazione@pec." + e["domain"]] * 2
                                                                                      if e["domain"] else []))
        e["pec"] = self.unique(lambda: "protocollo@pec." + e["domain"] if public else pec(s + r.choice(["", str(r.randint(1, 9999))]))) \
            if r.random() < (1 if public else .9 if kind == "coop" else .75 if kind == "fond" else .35) else None

def render_phone(num, style, rng):
    p, s = num
    if style == "mob":
        style = "cell" if p.startswith("3") else rng.choice(["plain", "sp"])
    grp = " ".join([s[:3], s[3:]] if len(s) < 7 else [s[:3], s[3:5], s[5:]])
    return {"sp": "%s %s", "sl": "%s/%s", "dash": "%s-%s", "br": "(%s) %s", "intl": "+39 %s %s", "intl0": "0039 %s%s",
            "plain": "%s%s", "tel": "tel. %s %s", "cell": "cell. %s %s", "grp": "%s %s", "dots": "%s.%s"}[style] % (
        p, grp if style == "grp" else grp.replace(" ", ".") if style == "dots" else s)

def render_tax(tax, P, rng):
    if rng.random() < P["taxfmt"]:  # a spreadsheet that lost the leading zeros, a VAT prefix, a label, spaces
        return rng.choice([tax.lstrip("0") or tax, "IT" + tax, "P.IVA " + tax, "C.F. " + tax, tax[:3] + " " + tax[3:7] + " " + tax[7:]])
    return tax

def render_web(e, rng):
    if e["social"] and (not e["web"] or rng.random() < .5):
        site, handle = e["social"]
        return rng.choice(["https://www.%s.com/%s", "https://www.%s.com/%s/", "%s.com/%s", "http://m.%s.com/%s",
                           "https://%s.com/%s?ref=page"]) % (site, handle)
    path = "/servizi-sociali" if e["kind"] == "comune" and rng.random() < .4 else rng.choice(["", "", "", "/", "/chi-siamo", "/index.php"])
    return rng.choice(["https://www.", "http://www.", "www.", "", "https://"]) + e["domain"] + path

def saint_short(s, rng):
    if rng.random() < .5:
        s = re.sub(r"^(San|Santa|Santo)\b", "S.", s).replace("Sant'", "S. ").replace("Santi ", rng.choice(["SS. ", "Ss. "]))
    return s.replace("Battista", "B.") if rng.random() < .2 else s

def render_name(e, P, rng, places):
    kind, core = e["kind"], e["core"]
    place = places[0] if len(places) == 1 else None
    if kind == "parrocchia":
        name = rng.choice(["Parrocchia ", "Parrocchia ", "Parr. ", "Parrocchia di ", "Chiesa parrocchiale di "]) + saint_short(core, rng)
        if rng.random() < P["reorder"]:
            name = saint_short(core, rng) + " - Parrocchia"
        if rng.random() < .35:
            name += rng.choice([" - %s", " in %s", " (%s)", " di %s"]) % e["town"][0]
    elif kind == "comune":
        name = rng.choice(["Comune di %s", "Comune di %s", "Città di %s", "Comune %s", "%s (Comune)"]) % core
        if place and place["name"] and rng.random() < .7:
            name = rng.choice(["%s - %s", "%s %s"]) % (name, place["name"]) if rng.random() < .7 else "%s %s" % (place["name"], name)
    elif kind == "asl":
        code = e["code"] if e["code"] == "Città di Torino" else rng.choice([e["code"], e["code"].replace("TO", "TO "), e["code"].capitalize()])
        name = rng.choice(["ASL %s", "A.S.L. %s", "Azienda Sanitaria Locale %s", "ASL %s", "Asl %s"]) % code
        if place and place["name"] and rng.random() < .75:
            name = "%s - %s %s" % (name, place["name"], place["town"][0]) if rng.random() < .5 else \
                "%s %s di %s" % (place["name"], name, place["town"][0])
    elif e["desc"] and rng.random() < P["short"] * 2:
        name = e["acronym"] + (" " + rng.choice(SUFFIX[kind][0]) if rng.random() < .3 else "")
    else:
        pre = PREFIX[kind][0] if rng.random() < .5 else rng.choice(PREFIX[kind])
        suf = rng.choice(SUFFIX[kind][rng.random() < P["legacy"]])
        if slug(suf) and slug(suf) in slug(pre):
            suf = ""
        q = rng.choice(['"%s"', "«%s»", "“%s”", "'%s'", "‘%s’"]) % core if not e["desc"] and rng.random() < P["quote"] else core
        if e["desc"]:
            name = "%s %s %s" % (pre if pre.startswith("Ass") else "Associazione", core, suf)
        elif kind == "cdq":
            name = rng.choice(["%s %s", "%s di %s"]) % (pre, q)
        elif rng.random() < P["short"]:
            name = q + (" " + suf if rng.random() < .3 else "")
        elif rng.random() < P["reorder"]:
            name = rng.choice(["%s %s %s", "%s - %s %s", "%s, %s %s"]) % (q, pre, suf)
        elif suf and rng.random() < .1:
            name = "%s %s" % (suf, q)
        else:
            name = "%s %s %s" % (pre, q, suf)
        if len(e["places"]) > 1 and place and rng.random() < .3:
            name += rng.choice([" - sede di %s", " (%s)", " %s"]) % place["town"][0]
    name = maybe_typo(re.sub(r"\s+", " ", name).strip(), P["typo"], rng)
    if rng.random() < .04:
        name = name.replace(" ", "  ", 1)
    u = rng.random()
    return name.upper() if u < P["upper"] else name.lower() if u < P["upper"] + P["lower"] else name

def render_town(town, P, rng):
    name, u = town[0], rng.random()
    if name in OTHER_LANGUAGE and rng.random() < (P["turin"] if name == "Torino" else .1):
        name = rng.choice(OTHER_LANGUAGE[name])
    if u < .25 and re.search("[èì]", name):  # Cirié, Cirie', Cirie
        name = rng.choice([name.replace("è", "é"), name.replace("è", "e'").replace("ì", "i'"), name[0] + slug(name[1:])])
    elif u < .35 and re.search(r"Torinese|Canavese|^San |Reale", name):
        name = name.replace("Torinese", "T.se").replace("Canavese", "C.se").replace("San ", "S. ", 1).replace(" Reale", "")
    name, u = maybe_typo(name, P["typo"], rng), rng.random()
    return name.upper() if u < .12 + P["upper"] else name.lower() if u < .18 + P["upper"] else name

def render_street(p, P, rng):
    kind, first, name = p["street"]
    kind = rng.choice(STREET_TYPE[kind]) if rng.random() < P["abbr"] else kind
    if first:
        u = rng.random()
        name = name if u < P["dropfirst"] else first[0] + ". " + name if u < P["dropfirst"] + .1 else first + " " + name
    name, suffix = maybe_typo(name, P["typo"], rng), p["suffix"]
    if suffix and rng.random() < .5:
        suffix = rng.choice({"/A": ["/a", "A", " A", "a"], "/B": ["/b", "B", " b"], " bis": ["bis", "/bis", " BIS"]}[suffix])
    num = str(p["num"]) + suffix
    if rng.random() < P["num"]:
        num = rng.choice(["n. %s", "n.%s", "civ. %s", "N° %s", "nr. %s"]) % num
    s = rng.choice(["%s %s, %s", "%s %s %s"]) % (kind, name, num)
    if p["extra"] and rng.random() < P["extra"]:
        s += rng.choice([", ", " - ", " "]) + rng.choice(EXTRAS[p["extra"]])
    if p["host"] and rng.random() < P["co"]:
        h = render_name(p["host"], dict(P, upper=0, lower=0, typo=0, short=.5), rng, [p])
        s = rng.choice(["c/o %s, %s", "presso %s - %s", "C/O %s %s"]) % (h, s) if rng.random() < .7 else "%s (c/o %s)" % (s, h)
    u = rng.random()
    return s.upper() if u < P["upper"] * .6 else s.lower() if u < P["upper"] * .6 + .04 else s

def render_address(p, P, rng, lid, aid):
    town, street = p["town"], render_street(p, P, rng)
    cap = "10100" if town[0] == "Torino" and rng.random() < .02 else p["cap"]  # the old all-Turin code
    city, prov = render_town(town, P, rng), town[2]
    style = rng.choices(["split", "onecell", "capcity", "cityprov"], P["addr"])[0]
    a = {"id": aid, "location_id": lid, "address_1": street, "city": city, "postal_code": cap}
    if style == "onecell":  # Corso Francia, 285, 10139 Torino (TO) / Via Roma 12 - 10064 Pinerolo TO
        a["address_1"] = re.sub(r"\s+", " ", rng.choice(["%s, %s %s (%s)", "%s - %s %s %s", "%s %s %s %s", "%s, %s, %s, %s"]) % (
            street, cap if rng.random() < .85 else "", city, prov)).replace(", ,", ",").strip(" ,")
        a["city"] = "" if rng.random() < .4 else None
        a["postal_code"] = cap if rng.random() < .5 else None
    elif style == "capcity":
        a["city"], a["postal_code"] = "%s %s" % (cap, city), cap if rng.random() < .4 else None
    elif style == "cityprov":
        a["city"] = rng.choice(["%s (%s)", "%s %s", "%s - %s"]) % (city, prov)
    if style in ("split", "cityprov"):
        if rng.random() < P["nocity"] and cap not in CAP_SHARED and cap != "10100":  # the postal code still tells the town
            a["city"] = None
        elif rng.random() < P["nocap"]:
            a["postal_code"] = "" if rng.random() < P["empty"] else None
    st = rng.choice(P["state"])
    if st is not None:
        a["state_province"] = {"Torino": PROVINCE[prov], "Città Metropolitana di Torino": st if prov == "TO" else PROVINCE[prov],
                               "TO": prov, "(TO)": "(%s)" % prov}.get(st, st)
    a.update(country="IT", address_type="physical")
    return {k: v for k, v in a.items() if v is not None}

def make_record(e, P, places, rng, uid):
    rid = uid()
    rec, empty = {"id": rid, "name": render_name(e, P, rng, places)}, rng.random() < P["empty"]
    if rng.random() < P["alt"]:  # the acronym, short or official name another partner uses as the name
        alt = e["acronym"] if e["desc"] else render_name(e, dict(P, short=.7, typo=0, upper=0, lower=0), rng, places)
        if alt.lower() != rec["name"].lower():
            rec["alternate_name"] = alt
    if e["tax"] and rng.random() < P["tax"]:
        rec["tax_id"] = render_tax(e["tax"], P, rng)
    elif empty:
        rec["tax_id"] = ""
    mails = ([e["email"]] if e["email"] and rng.random() < P["email"] else []) + ([e["pec"]] if e["pec"] and rng.random() < P["pec"] else [])
    if not mails and e["pec"] and not e["email"] and rng.random() < P["email"]:
        mails = [e["pec"]]
    if mails:
        m = "; ".join(mails) if len(mails) > 1 and rng.random() < .3 else rng.choice(mails)
        rec["email"] = m if rng.random() < .9 else rng.choice([m.upper(), "mailto:" + m, " " + m + " "])
    elif empty:
        rec["email"] = ""
    if (e["web"] or e["social"]) and rng.random() < P["web"]:
        rec["website"] = render_web(e, rng)
    nums = [n for n in (e["phone"], e["mob"]) if n]
    if e["mob"] and rng.random() < P["mobile"]:
        nums = [e["mob"]]  # only the mobile
    styles = P["phonefmt"]
    rec["phones"] = [{"number": render_phone(n, rng.choice(styles), rng)} for n in nums[:rng.choice([1, 1, 2])]] \
        if rng.random() < P["phone"] else []
    rec["locations"], rows = [], []
    for p in places:
        lid = uid()
        loc = {"id": lid, "organization_id": rid, "location_type": "physical"}
        if rng.random() < P["locname"]:
            loc["name"] = p["name"] if p["name"] and rng.random() < .8 else rng.choice(
                ["Sede", "Sede operativa", "Sede legale", "Sede di " + p["town"][0], e["acronym"] or e["core"]])
            if p["host"] and rng.random() < .4:
                loc["name"] = "c/o " + render_name(p["host"], dict(P, typo=0, upper=0, lower=0), rng, [p])
        loc["addresses"] = [render_address(p, P, rng, lid, uid())]
        if p["phone"] and rng.random() < .6:
            loc["phones"] = [{"number": render_phone(p["phone"], rng.choice(styles), rng)}]
        rec["locations"].append(loc)
        rows.append((rid, lid, e["label"], p["label"]))
    return rec, rows

def observe(e, rng):
    """Which partners see the entity and what each knows of it: [(partner, places)], one per record."""
    pool = list(PARTNERS)
    ws = [P["base"] * P["kinds"].get(e["kind"], 1.0) * (1 if not P["area"] else AREA_IN if any(
        p["town"][5] in P["area"] for p in e["places"]) else AREA_OUT) for P in pool]
    out = []
    for _ in range(rng.choices([1, 2, 3, 4, 5, 6], [43, 28, 15, 8, 3, 3])[0]):
        i = rng.choices(range(len(pool)), ws)[0]
        P, places = pool.pop(i), e["places"]
        ws.pop(i)
        if len(places) > 1 and rng.random() < .45:  # a local partner knows the local places, others some of them
            local = [p for p in places if P["area"] and p["town"][5] in P["area"]]
            places = local if local and rng.random() < .7 else sorted(rng.sample(places, rng.randint(1, len(places))),
                                                                      key=lambda p: p["label"])
        out += [(P, [p]) for p in places] if len(places) > 1 and rng.random() < P["split"] else [(P, places)]
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("outdir")
    a = ap.parse_args()
    started, rng = time.time(), random.Random(a.seed)
    uid = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))
    world, jobs = World(rng), []
    while len(jobs) < a.records:
        jobs += [(e, P, places) for e in [world.new_entity()] for P, places in observe(e, rng)]
    del jobs[a.records:]
    by_partner, truth = {P["name"]: [] for P in PARTNERS}, []
    for e, P, places in jobs:
        by_partner[P["name"]].append(make_record(e, P, places, rng, uid))
    os.makedirs(a.outdir, exist_ok=True)
    for name, recs in by_partner.items():
        rng.shuffle(recs)
        with open(os.path.join(a.outdir, name + ".jsonl"), "w", encoding="utf-8") as f:
            for rec, rows in recs:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                truth += rows
    with open(os.path.join(a.outdir, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["record_id", "location_id", "organization", "location"]] + truth)
    print("generate_dedupe_b: %d records (%s), %d organizations, %d places, %d record-locations in %s, %.1f s" % (
        len(jobs), ", ".join("%s %d" % (n, len(r)) for n, r in by_partner.items()), len({e["label"] for e, _, _ in jobs}),
        len({row[3] for row in truth}), len(truth), a.outdir, time.time() - started), file=sys.stderr)

if __name__ == "__main__":
    main()
