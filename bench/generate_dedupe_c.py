#!/usr/bin/env python3
"""Generates a labelled deduplication benchmark of Italian community organizations (HSDS 3.0).

Usage: python3 bench/generate_dedupe_c.py --records N --seed S OUT_DIR

A pool of true entities (associations, cooperatives, parishes, municipal offices, sports clubs, food
banks, foundations, neighbourhood houses) in the Turin, Chieri, Pinerolo, Ivrea and Canavese areas,
each with 1-3 true places, is written out by eight partner sources with habits of their own. OUT_DIR
gets one JSON Lines file per source (one HSDS organization per line) and truth.csv
(record_id,location_id,organization,location).

How the truth is drawn:
- an organization is one entity and its branches (same name, same tax id, other towns) are its
  places: records of two branches are one organization but two locations;
- a body hosted at another's address, the offices of one Comune at its town hall, namesake parishes
  and generic names ("Pro Loco") in different towns are different entities with different places,
  even when address, tax id, phone or name are the same.
Municipality names and ISTAT codes: Fonte ISTAT (CC BY 3.0 IT). Standard library only.
"""
import argparse, collections, csv, json, os, random, unicodedata, uuid

# ---------------------------------------------------------------- reference data
# Per area: "name phone-prefix population-in-thousands", comma separated (names: Fonte ISTAT). The
# postal codes are not written here: their lists have no stated licence (../shared/reference/comuni/
# SOURCE.md), so they are read from that file when it is beside the checkout, else made up.
TOWN_TEXT = {
    "torino": "Torino 011 872",
    "cintura": "Collegno 011 49, Grugliasco 011 37, Rivoli 011 49, Settimo Torinese 011 47, "
               "San Mauro Torinese 011 19, Venaria Reale 011 34, Moncalieri 011 56, "
               "Nichelino 011 48, Beinasco 011 18, Orbassano 011 23, Leini 011 15, "
               "Ciriè 011 18, Chivasso 011 26, Volpiano 011 15, Druento 011 8",
    "chieri": "Chieri 011 36, Pino Torinese 011 8, Pecetto Torinese 011 4, "
              "Baldissero Torinese 011 4, Andezeno 011 2, Riva presso Chieri 011 4, "
              "Cambiano 011 6, Santena 011 11, Poirino 011 10, Villastellone 011 5, "
              "Carmagnola 011 29",
    "pinerolo": "Pinerolo 0121 35, Luserna San Giovanni 0121 8, Torre Pellice 0121 5, "
                "Bricherasio 0121 5, Cavour 0121 6, Vigone 011 5, Airasca 011 4, "
                "None 011 8, Cumiana 011 8, Piossasco 011 18, Perosa Argentina 0121 3, "
                "Volvera 011 9, Bruino 011 8",
    "ivrea": "Ivrea 0125 24, Banchette 0125 3, Pavone Canavese 0125 4, "
             "Montalto Dora 0125 3, Borgofranco d'Ivrea 0125 4, Lessolo 0125 2, "
             "Bollengo 0125 2, Strambino 0125 6, Romano Canavese 0125 3, Azeglio 0125 1, "
             "Vestignè 0125 1, Caluso 011 7, Mazzè 011 4",
    "canavese": "Rivarolo Canavese 0124 12, Cuorgnè 0124 10, Castellamonte 0124 10, "
                "Favria 0124 5, Agliè 0124 3, San Giorgio Canavese 0124 3, Ozegna 0124 1, "
                "Valperga 0124 3, Pont-Canavese 0124 4, Front 011 2, Busano 0124 2, "
                "Locana 0124 2, San Benigno Canavese 011 6, Foglizzo 011 2, "
                "Montanaro 011 5, Cuceglio 0124 1"}
COMUNI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference", "comuni", "comuni.json")


def postal_codes():
    """Each municipality of the province of Turin's postal codes, from the reference file when it is there."""
    try:
        with open(COMUNI, encoding="utf-8") as f:
            return {c["nome"]: c.get("cap") or [] for c in json.load(f) if c.get("sigla") == "TO"}
    except OSError:
        return {}


CAPS = postal_codes()


def made_up_cap(name):
    """A code of the province's shape (10xxx), the same for a name on every run."""
    return "10%03d" % (sum(ord(ch) * (i + 1) for i, ch in enumerate(name)) % 1000)


Town = collections.namedtuple("Town", "name cap area prefix pop")
TOWNS = [Town(n, (CAPS.get(n) or [made_up_cap(n)])[0], area, pre, int(pop)) for area, text in TOWN_TEXT.items()
         for n, pre, pop in (item.rsplit(" ", 2) for item in text.split(", "))]
TOWN_WEIGHTS = [t.pop ** 0.5 * (4 if t.name == "Torino" else 1) for t in TOWNS]
TORINO_CAPS = CAPS.get("Torino") or [made_up_cap("Torino %d" % i) for i in range(30)]
QUARTIERI = ("San Salvario, Aurora, Borgo San Paolo, Barriera di Milano, Vanchiglia, Pozzo Strada, Mirafiori Sud, Lucento, "
             "Madonna di Campagna, Santa Rita, Lingotto, Borgo Vittoria, Falchera, Vallette, Cenisia, Crocetta, "
             "Porta Palazzo, Regio Parco, Nizza Millefonti").split(", ")
# How partners shorten town names, and a few Piedmontese / foreign forms a citizen portal receives.
TOWN_ABBR = {"Settimo Torinese": "Settimo T.se", "San Mauro Torinese": "S. Mauro T.se", "Pino Torinese": "Pino T.se",
             "Pecetto Torinese": "Pecetto T.se", "Baldissero Torinese": "Baldissero T.se",
             "Rivarolo Canavese": "Rivarolo C.se", "San Giorgio Canavese": "S. Giorgio C.se",
             "Pavone Canavese": "Pavone C.se", "Romano Canavese": "Romano C.se", "San Benigno Canavese": "S. Benigno C.se",
             "Pont-Canavese": "Pont C.se", "Borgofranco d'Ivrea": "Borgofranco d'I.", "Luserna San Giovanni": "Luserna S.G.",
             "Venaria Reale": "Venaria", "Riva presso Chieri": "Riva p. Chieri", "Perosa Argentina": "Perosa Arg.",
             "Montalto Dora": "Montalto D.", "Torre Pellice": "Torre P.", "Ciriè": "Cirie'", "Agliè": "Aglie'"}
TOWN_DIALECT = {"Torino": "Turin", "Pinerolo": "Pinareul", "Chieri": "Cher", "Ivrea": "Ivrèja", "Chivasso": "Civass",
                "Moncalieri": "Moncalé", "Rivarolo Canavese": "Rivareul", "Carmagnola": "Carmagnòla", "Settimo Torinese": "Setim"}

FIRST = ("Marco Paolo Giulia Francesca Luca Chiara Giovanni Anna Piero Lucia Carlo Elena Andrea Marta Stefano Silvia "
         "Davide Sara Alberto Rita Giorgio Laura Franco Teresa Nicolò Caterina Matteo Elisa Giuseppe Maria Renato "
         "Giacomo Tommaso Irene Cristina Federico Pietro Agnese Michele Bruna").split()
SURN = ("Ferrero Rossi Bianco Gallo Costa Giordano Rosso Bruno Colombo Ricci Marino Greco Martini Fontana Bertolotto "
        "Cravero Chiesa Gili Audisio Perotti Bosio Ghigo Allasia Ruffino Giraudo Rolando Vottero Bertola Aimone Morra "
        "Pautasso Bonino Barbero Oberto Cena Gribaudo Tosco Vercellino Actis Brossa Favro Peretti Mussino Rey Arnaud "
        "Pons Jalla Bounous Tron Malan Peyrot Bonnet").split()
# Streets; "First|Name" marks a person, written "Giuseppe Garibaldi", "G. Garibaldi" or "Garibaldi".
STREETS = [s.split("|") if "|" in s else ("", s) for s in (
    "Roma, Giuseppe|Garibaldi, Vittorio Emanuele II, Camillo|Cavour, Giuseppe|Mazzini, Giacomo|Matteotti, XX Settembre, "
    "Italia, della Repubblica, Antonio|Gramsci, Po, San Francesco d'Assisi, Madonna delle Grazie, Don Bosco, Torino, "
    "Ivrea, della Libertà, Umberto I, Martiri della Libertà, Nizza, Cigna, Cibrario, Sant'Anselmo, Monginevro, Baltimora, "
    "Stradella, Fratelli Rosselli, Pietro|Micca, Carlo Alberto, IV Novembre, Massimo|d'Azeglio, Pinerolo, Montebello, "
    "della Chiesa, del Municipio, Aldo|Moro, Giovanni XXIII, San Pietro, Principe Amedeo, Regina Margherita, "
    "Dante|Alighieri, Silvio|Pellico, Duca degli Abruzzi, Santa Croce, Arduino, Palestro, Nicolò|Tommaseo, Sacro Cuore, "
    "Vittorio Veneto, Trento, Nazionale, Luigi|Einaudi, Castelfidardo, Giovanni|Jervis, del Lavoro, Gioberti").split(", ")]
STREET_VARIANTS = {"XX Settembre": "20 Settembre", "IV Novembre": "4 Novembre", "Vittorio Emanuele II": "V. Emanuele II",
                   "Fratelli Rosselli": "F.lli Rosselli", "della Repubblica": "Repubblica", "Giovanni XXIII": "Papa Giovanni XXIII"}
STYPE_WEIGHTS = {"Via": 70, "Corso": 10, "Piazza": 8, "Viale": 3, "Strada": 3, "Largo": 2, "Vicolo": 2, "Piazzale": 1}
STYPE_ABBR = {"Via": ["V.", "V"], "Corso": ["C.so", "Cso", "C.so"], "Piazza": ["P.za", "P.zza", "Pza"], "Viale": ["V.le", "Vle"],
              "Strada": ["Str.", "Str"], "Largo": ["L.go", "Lgo"], "Vicolo": ["V.lo", "Vic."], "Piazzale": ["P.le", "Pzle"]}

IMAGES = ("Il Girasole, Il Ponte, L'Arcobaleno, La Tenda, Il Faro, La Rondine, Il Seme, La Goccia, Il Sentiero, La Quercia, "
          "Il Melograno, La Lanterna, Il Cortile, La Bussola, Il Mosaico, Il Granello di Senape, L'Albero della Vita, "
          "Il Filo d'Oro, La Sorgente, L'Approdo, Il Tiglio, La Cicogna, Il Gabbiano, La Fenice, Il Cammino, La Clessidra, "
          "Il Trifoglio, La Mongolfiera, L'Aquilone, Il Cerchio, La Fabbrica dei Sogni, Il Carro, La Pietra Scartata, "
          "L'Orto di Tutti, Il Piccolo Principe, La Via Lattea, Il Noce, La Meridiana, Il Castagno, La Stella Polare").split(", ")
THEMES = ("Comunità Accogliente, Solidarietà Familiare, Città Aperta, Fraternità e Servizio, Terza Età Attiva, "
          "Volontari Ospedalieri, Amici degli Anziani, Genitori Insieme, Donne in Rete, Nonni Civici, Aiuto allo Studio, "
          "Accoglienza Stranieri, Amici del Canile, Cittadinanza Attiva, Diritti e Libertà, Insieme per la Disabilità, "
          "Famiglie per l'Affido, Pane e Solidarietà, Mani Amiche, Carità e Lavoro, Vicini di Casa, Libera Età, Mondo Unito, "
          "Umanità Nuova, Sportello Amico, Arte e Società, Musica per Tutti, Teatro Sociale, Sentieri di Pace, "
          "Lettori Volontari, Volontari Trasporto Amico").split(", ")
COOP_CORES = ("Progetto Muret, Liberi Tutti, Verso Casa, Terra Mia, Il Frutteto, Il Laboratorio, Nuovi Orizzonti, "
              "Oltre il Giardino, Punto d'Incontro, Lavoro e Comunità, Servizi alla Persona, Bottega del Riuso, "
              "Orti Condivisi, La Ruota, Futuro Prossimo, Mestieri Solidali, Casa Comune").split(", ")
# The common dedications come often, so that namesake parishes abound.
SAINTS = ["San Giovanni Battista"] * 4 + ["Santa Maria Assunta"] * 4 + ["San Lorenzo", "Santi Pietro e Paolo"] * 2 + (
    "San Michele Arcangelo, San Martino Vescovo, Sant'Antonio Abate, Natività di Maria Vergine, San Giacomo, San Grato, "
    "San Secondo, Santa Croce, San Rocco, San Giuseppe, Sacro Cuore di Gesù, Santa Rita, San Bartolomeo, San Maurizio, "
    "San Donato, Beata Vergine Consolata, Santissima Trinità").split(", ")
# Bodies found in almost every town: (core, legal form, word before the town, nickname, also in Turin's quarters)
GENERIC = [("Pro Loco", "APS", " di ", None, False), ("Gruppo Volontari", "ODV", " ", None, True),
           ("AVIS Comunale", "ODV", " ", "AVIS", False), ("Gruppo Alpini", None, " ", "Alpini", True),
           ("Croce Verde", "ODV", " ", None, False), ("Gruppo Anziani", "APS", " ", None, True),
           ("Banda Musicale", "APS", " di ", "Banda", False), ("Unitre", "APS", " ", None, False),
           ("Gruppo Volontari Protezione Civile", "ODV", " ", "Protezione Civile", False),
           ("Circolo ACLI", "APS", " ", "ACLI", True), ("Auser", "ODV", " ", None, True),
           ("Società Operaia di Mutuo Soccorso", "ETS", " di ", "SOMS", True), ("Comitato Genitori", None, " ", None, True)]
OFFICES = [("Servizi Sociali", "Serv. Sociali"), ("Ufficio Relazioni con il Pubblico", "URP"), ("Informagiovani", "Informagiovani"),
           ("Sportello Casa", "Sportello Casa"), ("Ufficio Anagrafe", "Uff. Anagrafe"), ("Sportello Lavoro", "Sportello Lavoro"),
           ("Biblioteca Civica", "Biblioteca"), ("Ufficio Cultura", "Uff. Cultura"), ("Sportello Stranieri", "Sportello Stranieri")]
SPORTS = ("Polisportiva, Pallavolo, Basket, Atletica, Calcio, Tennis Club, Bocciofila, Nuoto, Ginnastica, Rugby, Ciclistica, "
          "Scacchi Club, Judo Club, Danza Sportiva, Podistica").split(", ")
FOODS = ["Banco Alimentare", "Emporio Solidale", "Banco di Solidarietà", "Dispensa Solidale", "Mensa Solidale"]
PLACE_NAMES = {"parish": ["Chiesa parrocchiale", "Casa parrocchiale", "Oratorio", "Salone parrocchiale"],
               "coop": ["Sede legale", "Sede operativa", "Laboratorio", "Centro diurno", "Comunità alloggio", "Magazzino"],
               "food": ["Magazzino", "Punto di distribuzione", "Emporio", "Centro di ascolto"],
               "office": ["Palazzo Comunale", "Municipio"], "sport": ["Palestra comunale", "Campo sportivo", "Bocciodromo"],
               "house": ["Casa del Quartiere"], "generic": ["Sede sociale", "Salone", "Ex scuole elementari"],
               "assoc": ["Sede", "Sede legale", "Sede operativa", "Sportello"], "found": ["Sede", "Sede legale"]}
# Legal forms: ways of writing them (the first ones may also stand in front of the name), and in full.
FORM_STYLES = {"ODV": ["ODV", "O.D.V.", "OdV", "odv"], "APS": ["APS", "A.P.S.", "aps"], "ETS": ["ETS", "E.T.S."],
               "ONLUS": ["ONLUS", "Onlus", "O.N.L.U.S."], "ASD": ["A.S.D.", "ASD", "a.s.d."]}
FORM_LONG = {"ODV": "Organizzazione di Volontariato", "APS": "Associazione di Promozione Sociale", "ETS": "Ente del Terzo Settore",
             "ONLUS": "ONLUS", "ASD": "Associazione Sportiva Dilettantistica"}
PREFIX_ABBR = {"Associazione": ["Ass.", "Assoc.", "Ass.ne"], "Parrocchia": ["Parr.", "Parrocchia di"], "Fondazione": ["Fond."],
               "Gruppo": ["Gr."], "Comitato": ["Com."], "Circolo": ["Circ."],
               "Cooperativa Sociale": ["Coop. Soc.", "Coop. Sociale", "Soc. Coop. Soc.", "S.C.S.", "Società Cooperativa Sociale"]}
SAINT_ABBR = [("Santissima ", "SS. "), ("Santi ", "SS. "), ("San ", "S. "), ("Santa ", "S. "), ("Sant'", "S. "),
              ("Giovanni Battista", "Giovanni Batt."), ("Maria Vergine", "M. V."), ("Beata Vergine", "B. V.")]
MOBILE_PREFIXES = "320 328 331 333 335 338 339 340 347 348 349 366 380 392".split()
STOP_WORDS = {"il", "la", "l", "lo", "i", "le", "di", "del", "della", "dei", "degli", "e", "per", "in", "a", "al", "alla"}

# ---------------------------------------------------------------- sources and their habits
ALL_AREAS = tuple(TOWN_TEXT)
DEFAULT = dict(weight=1, upper=0, lower=0, accents=(1, 0, 0), typo=0.03, typo_street=0.03, typo_town=0.01, abbr=0.15,
               prefix_drop=0.08, form_drop=0.15, form_old=0.0, drop_tag=0.15, nick=0.05, alt=0.0, tax=0.7, email=0.7,
               pec=0.2, web=0.5, social=0.3, phone=0.7, mobile=0.2, loc_phone=0.5, phone_styles={"space": 3, "plain": 2, "slash": 1},
               cap=0.9, cap_off=0.02, cap_generic=0.05, town={"plain": 1}, state={"TO": 3, None: 1}, whole=False, co=0.0,
               loc_name=0.2, street_abbr=0.2, num_styles={"plain": 5, "n": 1}, extra=0.5, multi=0.3, dup=0.02,
               needs_tax=False, local=())
SOURCES = {
    # The volunteering service centre: careful, complete, full names with the nickname as alternate_name.
    "centro-servizi-volontariato": dict(areas=ALL_AREAS, weight=3, kinds=dict(assoc=3, coop=1, food=2, generic=2, sport=1, found=1.5, house=2, parish=0.2),
        tax=0.92, email=0.9, pec=0.15, web=0.75, social=0.15, alt=0.6, form_drop=0.05, phone=0.9, cap=0.98, cap_off=0.005,
        loc_name=0.3, typo=0.02, typo_street=0.02, dup=0.01),
    # Third-sector registry extract: CAPITALS, legal form always, tax id always, PEC, no phones, all seats listed.
    "runts-piemonte": dict(areas=ALL_AREAS, weight=2.5, kinds=dict(assoc=3, coop=1.5, food=1.5, generic=2, sport=1.5, found=1.5, house=1.5),
        needs_tax=True, upper=1.0, accents=(0, 0.7, 0.3), tax=1.0, email=0.95, pec=0.85, web=0.2, social=0.0, phone=0.0,
        mobile=0.0, loc_phone=0.0, form_drop=0.0, abbr=0.02, prefix_drop=0.0, cap=1.0, cap_off=0.01, cap_generic=0.0,
        state={"TO": 1}, street_abbr=0.0, num_styles={"plain": 1}, extra=0.2, multi=0.6, nick=0.0, drop_tag=0.05, loc_name=0.1, typo=0.015),
    # Diocese of Ivrea: parishes and Caritas, "Parr. S. ...", seldom a tax id, "tel. 0125/64.12.34".
    "diocesi-ivrea": dict(areas=("ivrea", "canavese"), weight=2, kinds=dict(parish=6, food=2, assoc=0.8, generic=0.8),
        abbr=0.7, tax=0.2, email=0.5, pec=0.05, web=0.3, social=0.5, phone=0.9, phone_styles={"tel_dots": 4, "dots": 2, "slash": 1},
        loc_name=0.6, drop_tag=0.6, accents=(0.5, 0.3, 0.2), typo=0.05, cap=0.7,
        local={t.name for t in TOWNS if t.area in ("ivrea", "canavese")}),
    # Chieri's register of associations: the whole address in address_1, city left empty, old ONLUS forms.
    "comune-chieri": dict(areas=("chieri",), weight=3, kinds=dict(assoc=2, coop=1, parish=1, office=4, sport=2, food=1, generic=2, found=1),
        whole=True, phone_styles={"dots": 3, "slash": 1}, tax=0.6, form_old=0.4, drop_tag=0.5, accents=(0.6, 0, 0.4),
        typo=0.05, typo_street=0.06, cap=0.8, state={None: 1}, email=0.7, pec=0.3, web=0.4, alt=0.2, nick=0.1, local={"Chieri"}),
    # Ivrea consortium's front-office network: "Rivarolo C.se", the hosting body as "c/o ..." in the place name.
    "consorzio-inrete-ivrea": dict(areas=("ivrea", "canavese"), weight=2.5, kinds=dict(office=5, coop=2, assoc=1.5, food=2, parish=0.8, generic=0.5, found=1),
        town={"abbr": 3, "plain": 1}, co=0.95, loc_name=0.5, tax=0.5, email=0.8, pec=0.3, phone=0.8, mobile=0.3,
        phone_styles={"space": 2, "dash": 1, "intl": 1}, street_abbr=0.6, nick=0.3, typo=0.04, multi=0.4),
    # Emergency network of Turin: short common names, Facebook/Instagram pages, +39 phones, few tax ids.
    "rete-torino-solidale": dict(areas=("torino", "cintura"), weight=2.5, kinds=dict(food=5, assoc=2, coop=1.5, parish=1.5, house=2, office=1, generic=1),
        nick=0.6, alt=0.1, web=0.6, social=0.8, phone=0.9, mobile=0.6, phone_styles={"intl": 2, "intl00": 1, "e164": 1, "space": 1},
        tax=0.35, cap=0.6, cap_generic=0.3, town={"abbr": 2, "plain": 2}, form_drop=0.6, prefix_drop=0.3, typo=0.05,
        street_abbr=0.4, loc_name=0.4),
    # Citizen-fed skills portal: lower case, typos, dialect town names, gmail addresses.
    "portale-dei-saperi": dict(areas=("torino", "ivrea", "canavese"), weight=1.5, kinds=dict(assoc=2, house=3, generic=1.5, sport=1.5, food=1, office=0.5),
        lower=0.25, accents=(0.4, 0.3, 0.3), typo=0.12, typo_street=0.1, typo_town=0.06, town={"dialect": 1, "plain": 3},
        tax=0.1, email=0.6, web=0.5, social=0.7, phone=0.6, mobile=0.5, phone_styles={"plain": 2, "space": 1, "groups": 1, "paren": 1},
        cap=0.5, cap_off=0.06, state={None: 3, "TO": 1}, nick=0.35, form_drop=0.5, num_styles={"plain": 3, "civ": 1, "n": 1}),
    # Pinerolo social-services consortium: "PINEROLO (TO)", "V.", "P.za", "n. 12", floors and interiors.
    "ciss-pinerolese": dict(areas=("pinerolo",), weight=3, kinds=dict(office=3, coop=2, assoc=2, parish=1.5, food=1.5, generic=1, sport=0.5, found=1),
        town={"prov_upper": 1}, street_abbr=0.7, num_styles={"n": 3, "n2": 1, "N": 1}, phone_styles={"slash": 2, "tel": 1},
        tax=0.75, abbr=0.4, accents=(0.3, 0.5, 0.2), extra=0.8, cap=0.85, cap_off=0.04, loc_name=0.3, local={"Pinerolo"}),
}
SOURCES = {name: dict(DEFAULT, **habits) for name, habits in SOURCES.items()}


# ---------------------------------------------------------------- small helpers
def wchoice(rng, weights):
    """Key of a {key: weight} dict, drawn by weight."""
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def new_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def slug(text):
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if c.isascii() and c.isalnum())


def handle(text, limit=18):
    """A short e-mail / web handle from a name: its meaningful words, cut at a word boundary."""
    out = ""
    for w in (slug(w) for w in text.replace("'", " ").split()):
        if w and w not in STOP_WORDS:
            if out and len(out) + len(w) > limit:
                break
            out += w
    return out


def tax_id(rng, lead=""):
    """A valid 11-digit codice fiscale / partita IVA: 7 digits, office 001, Luhn check digit."""
    body = (lead + "".join(str(rng.randrange(10)) for _ in range(7 - len(lead)))).replace("0000000", "0000001")
    digits, total = body + "001", 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


def drop_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def apostrophe_accents(s):
    """Comunità -> Comunita' (word-final accents), other accents dropped."""
    return " ".join(drop_accents(w) + ("'" if drop_accents(w[-1:]) != w[-1:] else "") for w in s.split(" "))


KEY_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS = {c: row[max(0, i - 1):i] + row[i + 1:i + 2] for row in KEY_ROWS for i, c in enumerate(row)}


def typo(s, rng):
    """One slip inside a word of five letters or more: neighbour key, dropped, doubled or swapped letter."""
    words = s.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if idx:
        i = rng.choice(idx)
        w, j = words[i], rng.randrange(2, len(words[i]) - 1)
        near = rng.choice(NEIGHBOURS.get(w[j].lower(), w[j]))
        words[i] = rng.choice([w[:j] + (near.upper() if w[j].isupper() else near) + w[j + 1:], w[:j] + w[j + 1:],
                               w[:j] + w[j] + w[j:], w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]])
    return " ".join(words)


def text_habits(s, P, rng, typo_p, allow_lower=True):
    """Accents, typos and letter case as the source writes them."""
    style = rng.choices(("keep", "drop", "apos"), P["accents"])[0]
    s = drop_accents(s) if style == "drop" else apostrophe_accents(s) if style == "apos" else s
    if rng.random() < typo_p:
        s = typo(s, rng)
        if rng.random() < 0.2:
            s = typo(s, rng)
    if rng.random() < P["upper"]:
        return s.upper()
    return s.lower() if allow_lower and rng.random() < P["lower"] else s


# ---------------------------------------------------------------- the true world
class World:
    """Draws true entities one family at a time (a family: one body, a parish and its Caritas, or the
    offices of one Comune). Entities are plain dicts; places carry their truth label."""

    def __init__(self, rng):
        self.rng = rng
        self.count = 0
        self.names = set()            # (canonical name, town) already used
        self.hosts = {}               # town -> [(host name, host place)]: parishes, neighbourhood houses, town halls
        self.office_towns = set()
        self.handles = set()          # e-mail / web handles in use: two bodies never share a domain

    def next_id(self):
        self.count += 1
        return "E%06d" % self.count

    def digits(self, n):
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    def phone(self, town):
        return town.prefix + str(self.rng.randint(2, 9)) + self.digits(9 - len(town.prefix))

    def place(self, eid, n, town, kind):
        rng = self.rng
        first, street = rng.choice([s for s in STREETS if s[1] != town.name])
        extra = rng.choice(["piano %d" % rng.randint(1, 4), "int. %d" % rng.randint(1, 12), "scala %s" % rng.choice("ABC"),
                            "piano terra"]) if rng.random() < 0.15 else None
        return dict(label="%s-L%d" % (eid, n), town=town, stype=wchoice(rng, STYPE_WEIGHTS), first=first, street=street,
                    num=rng.choice([rng.randint(1, 30), rng.randint(1, 150)]),
                    suffix=rng.choices(["", "A", "B", "bis"], [88, 6, 3, 3])[0], extra=extra,
                    cap=rng.choice(TORINO_CAPS) if town.name == "Torino" else town.cap,
                    phone=self.phone(town) if rng.random() < 0.4 else None,
                    pname=rng.choice(PLACE_NAMES[kind]) if rng.random() < 0.6 else None, host=None)

    def contacts(self, e, base, pec_p):
        """E-mail, PEC, website, social pages and phones of an entity."""
        rng, town = self.rng, e["places"][0]["town"]
        th = handle(town.name, 8)
        if base in self.handles and th not in base:        # another body has it: add the town, then a number
            base += th
        stem, n = base, 2
        while base in self.handles:
            base, n = stem + str(n), n + 1
        self.handles.add(base)
        personal = base if th in base else base + rng.choice(["", ".", "_"]) + th
        e["domain"] = base + rng.choice([".org", ".it", ".it", ".eu", ".net"]) if rng.random() < 0.5 else None
        e["email"] = rng.choice(["info", "segreteria", "contatti", "posta"]) + "@" + e["domain"] if e["domain"] else \
            personal + "@" + rng.choice(["gmail.com", "gmail.com", "libero.it", "yahoo.it", "hotmail.it"])
        e["pec"] = base + "@" + rng.choice(["pec.it", "legalmail.it", "arubapec.it", "pec.csvto.it"]) if rng.random() < pec_p else None
        e["fb"] = base + rng.choice(["", "official", th if th not in base else "", slug(e["form"] or "")]) \
            if rng.random() < 0.6 else None
        e["ig"] = base + rng.choice(["", "_", "_official"]) if rng.random() < 0.3 else None
        e["phone"] = self.phone(town) if rng.random() < 0.85 else None
        e["mobile"] = rng.choice(MOBILE_PREFIXES) + self.digits(7) if rng.random() < 0.35 else None

    def family(self):
        rng = self.rng
        town = rng.choices(TOWNS, TOWN_WEIGHTS)[0]
        torino = town.name == "Torino"
        kind = wchoice(rng, dict(assoc=35, coop=8, parish=12, office=0 if torino else 5, sport=10, food=6, generic=14,
                                 found=3, house=6 if torino else 0))
        if kind == "office":
            if town.name not in self.office_towns:
                self.office_towns.add(town.name)
                return self.offices(town)
            kind = "assoc"
        family = [self.entity(kind, town)]
        if family[0]["kind"] == "parish" and rng.random() < 0.3:   # its Caritas: a near-namesake at the same address
            family.append(self.entity("food", town, parish=family[0]))
        return family

    def name_parts(self, kind, town, parish):
        """prefix (type word), core, tag (town or Turin quarter), legal form, nickname of a new body."""
        rng = self.rng
        quart = rng.choice(QUARTIERI)
        tag = quart if town.name == "Torino" else town.name
        e = dict(kind=kind, prefix=None, form=None, tag=None, tag_join=" ", nick=None, area=town.area, registry=True, own_tag=tag)
        if kind == "assoc":
            r = rng.random()
            e["core"] = rng.choice(IMAGES) if r < 0.45 else rng.choice(THEMES) if r < 0.75 else \
                "%s %s" % (rng.choice(FIRST), rng.choice(SURN))
            e["tag"] = tag if 0.45 <= r < 0.75 and rng.random() < 0.5 else None
            e["person"] = r >= 0.75                       # named after someone: the type word never goes
            e["prefix"] = rng.choices(["Associazione", "Gruppo", "Comitato", "Circolo", None],
                                      [70, 8, 5, 5, 0 if e["person"] else 12])[0]
            e["form"] = rng.choices(["ODV", "APS", "ETS", "ONLUS", None], [40, 35, 10, 10, 5])[0]
            if r < 0.45 and e["prefix"]:
                e["nick"] = e["core"]
            elif 0.45 <= r < 0.75:                         # an acronym: Associazione Volontari Ospedalieri -> AVO
                acro = (e["prefix"] or "")[:1] + "".join(w[0] for w in e["core"].replace("'", " ").split() if w[0].isupper())
                e["nick"] = acro + (" " + e["tag"] if e["tag"] else "") if len(acro) >= 3 else None
        elif kind == "coop":
            e.update(core=rng.choice(IMAGES + COOP_CORES * 2), prefix="Cooperativa Sociale")
            e.update(nick=e["core"], form="ONLUS" if rng.random() < 0.2 else None)
        elif kind == "parish":
            e.update(core=rng.choice(SAINTS), prefix="Parrocchia", tag=tag, tag_join=rng.choice([" - ", " in ", " ", " di "]))
        elif kind == "food" and parish:                    # no registration of its own: uses the parish's tax id
            e.update(core=rng.choice(["Caritas Parrocchiale", "Centro di Ascolto Caritas"]) + " " + parish["core"],
                     tag=parish["tag"], registry=False,
                     nick="Caritas " + (parish["tag"] if rng.random() < 0.5 else parish["core"]))
        elif kind == "food":
            e.update(core=rng.choice(FOODS), tag=tag, prefix="Associazione" if rng.random() < 0.3 else None,
                     form=rng.choice(["ODV", "ODV", "APS", "ETS"]))
            e["nick"] = e["core"].split()[0] + " " + tag                  # Emporio Solidale Aurora -> Emporio Aurora
        elif kind == "sport":
            e.update(core=rng.choice(SPORTS), tag=tag, form="ASD")
            if rng.random() < 0.2:
                e["core"] += " " + rng.choice(IMAGES).split(" ", 1)[-1]
        elif kind == "generic":
            core, form, join, nick, in_quarters = rng.choice([g for g in GENERIC if g[4] or town.name != "Torino"])
            e.update(core=core, form=form, tag=tag, tag_join=join, nick=(nick + " " + tag) if nick else None)
        elif kind == "found":
            e.update(prefix="Fondazione", form=rng.choice(["ETS", "ONLUS", None]),
                     core=rng.choice(["%s %s" % (rng.choice(FIRST), rng.choice(SURN)), rng.choice(IMAGES), "Comunità " + tag]))
        elif kind == "house" and rng.random() < 0.7:
            e.update(core=rng.choice(["Casa del Quartiere", "Casa di Quartiere"]) + " " + quart, nick="CdQ " + quart, form="APS")
        elif kind == "house":
            e.update(core="Cascina " + rng.choice(SURN), prefix="Associazione", form="APS")
            e["nick"] = e["core"]
        return e

    def entity(self, kind, town, parish=None):
        rng = self.rng
        for attempt in range(10):                           # avoid a second body of the same name in one town
            if attempt == 6 and not parish:                # this town has all the parishes, Pro Loco... it can take
                kind = "assoc"
            e = self.name_parts(kind, town, parish)
            if attempt >= 8 and not e["tag"]:              # still taken: "Il Girasole Aurora", "Il Girasole Chieri"
                e["tag"] = e["own_tag"]
            tagged = e["core"] + (e["tag_join"] + e["tag"] if e["tag"] else "")
            if (slug(tagged), town.name) not in self.names:
                break
        self.names.add((slug(tagged), town.name))
        canonical = " ".join(x for x in [e["prefix"], tagged, e["form"]] if x)
        e["canonical"], e["display"] = canonical, " ".join(x for x in [e["prefix"], e["core"]] if x)
        eid = e["eid"] = self.next_id()
        # Places: branches in other towns of the same area, or a second seat in the same town.
        weights = {"coop": (55, 30, 15), "food": (60, 28, 12), "parish": (70, 30, 0), "generic": (95, 5, 0), "house": (90, 10, 0)}
        n = rng.choices((1, 2, 3), weights.get(kind, (80, 15, 5)))[0]
        area_towns = [t for t in TOWNS if t.area == town.area]
        e["places"] = [self.place(eid, 1, town, kind)]
        for i in range(2, n + 1):
            other = town if kind == "parish" or rng.random() < 0.4 else rng.choice(area_towns)
            e["places"].append(self.place(eid, i, other, kind))
        hosts = self.hosts.setdefault(town.name, [])
        if parish:
            self.host_at(e["places"][0], parish["display"], parish["places"][0])
        elif kind in ("assoc", "food", "generic", "found", "sport") and hosts and rng.random() < 0.15:
            self.host_at(e["places"][0], *rng.choice(hosts))
        self.contacts(e, handle(e["core"], 14) + handle(e["tag"] or "", 10) if kind != "parish" else
                      "parr" + handle(e["core"] + " " + e["tag"], 20), dict(coop=0.95, found=0.8, house=0.6, food=0.5, parish=0.2).get(kind, 0.35))
        e["tax"] = None if kind in ("assoc", "generic", "sport") and rng.random() < 0.08 else \
            tax_id(rng, rng.choice(["0", "1", "2"]) if kind == "coop" else rng.choice(["8", "9", "97", "92"]))
        if parish:
            e["tax"] = parish["tax"] if rng.random() < 0.6 else None
        if kind in ("parish", "house"):
            hosts.append((e["display"], e["places"][0]))
        return e

    def host_at(self, place, host_name, host_place):
        """A hosted body: the host's address (with its own floor or room), sometimes the host's phone."""
        for k in ("town", "stype", "first", "street", "num", "suffix", "cap"):
            place[k] = host_place[k]
        place.update(host=host_name, pname=None)
        if self.rng.random() < 0.4:
            place["phone"] = host_place["phone"]

    def offices(self, town):
        """Several offices of one Comune: one tax id, switchboard, website and PEC, one town hall; each its own entity."""
        rng = self.rng
        hall = self.place("X", 1, town, "office")
        hall.update(stype="Piazza", first="", street=rng.choice(["del Municipio", "Palazzo di Città", "Vittorio Veneto",
                    "della Repubblica", "Roma"]), num=rng.randint(1, 12), suffix="", extra=None, pname="Palazzo Comunale")
        tax, switchboard, domain = tax_id(rng, "00"), self.phone(town), "comune.%s.to.it" % slug(town.name)
        pec = rng.choice(["protocollo@pec.", "comune.%s@pec." % slug(town.name)]) + domain
        family = []
        for office, short in rng.sample(OFFICES, rng.randint(2, 5) if town.pop >= 8 else rng.randint(1, 3)):
            eid = self.next_id()
            places = [dict(hall, label=eid + "-L1", phone=self.phone(town) if rng.random() < 0.5 else None)]
            if office in ("Biblioteca Civica", "Informagiovani") and rng.random() < 0.7:
                places = [dict(self.place(eid, 1, town, "office"), pname=office)]
            family.append(dict(kind="office", eid=eid, office=office, short=short, town=town,
                               city_word="Città" if town.pop >= 20 else "Comune", canonical="Comune di %s - %s" % (town.name, office),
                               nick="%s %s" % (short, town.name), area=town.area, places=places, tax=tax, domain=domain,
                               email=handle(short) + "@" + domain, pec=pec, fb=None, ig=None, phone=switchboard, mobile=None))
        self.hosts.setdefault(town.name, []).append(("Comune di " + town.name, hall))
        return family


# ---------------------------------------------------------------- how a source writes an entity
def render_town(town_name, P, rng, style=None):
    style = style or wchoice(rng, P["town"])
    if style == "abbr" and rng.random() < 0.8:
        town_name = TOWN_ABBR.get(town_name, town_name)
    elif style == "dialect" and rng.random() < 0.4:
        town_name = TOWN_DIALECT.get(town_name, town_name)
    elif style == "prov_upper":
        town_name = town_name.upper() + (" (TO)" if rng.random() < 0.8 else "")
    return text_habits(town_name, P, rng, P["typo_town"])


def render_form(name, form, P, rng):
    """The legal form added after, before, in brackets or in full; or dropped; ONLUS for older registers."""
    if form in ("ODV", "APS") and rng.random() < P["form_old"]:
        form = "ONLUS"
    if not form or rng.random() < P["form_drop"]:
        return name
    r = rng.random()
    text = FORM_LONG[form] if r < 0.1 else rng.choice(FORM_STYLES[form])
    if (form == "ASD" and r < 0.6) or (0.85 <= r and form != "ONLUS"):
        return (text if r < 0.1 else FORM_STYLES[form][0]) + " " + name     # in front: ODV Il Ponte, A.S.D. Rugby Ivrea
    return name + (" " + text if r < 0.5 else " - " + text if r < 0.7 else " (" + text + ")" if r < 0.85 else "")


def render_name(e, P, rng, town_local):
    """The entity's name as this source writes it (the nickname if the source goes by common names)."""
    if e["kind"] == "office":
        return render_office(e, P, rng, town_local), False
    if e["nick"] and rng.random() < P["nick"]:
        return text_habits(e["nick"], P, rng, P["typo"]), True
    core, tag = e["core"], None
    if e["tag"] and rng.random() >= P["drop_tag"] * (1 if town_local else 0.3):
        tag = e["tag"]
        if tag in TOWN_ABBR or tag in TOWN_DIALECT:        # a town inside the name, in the source's own short form
            style = wchoice(rng, P["town"])
            tag = render_town(tag, dict(P, typo_town=0, upper=0, lower=0), rng, "plain" if style == "prov_upper" else style)
        core = "%s (%s)" % (core, tag) if e["tag_join"] == " - " and rng.random() < 0.4 else core + e["tag_join"] + tag
    name, prefix = core, e["prefix"]
    if prefix:
        word = rng.choice(PREFIX_ABBR[prefix]) if rng.random() < P["abbr"] else prefix
        r = rng.random()
        if prefix == "Cooperativa Sociale":
            name = word + " " + core if r < 0.5 else core + " " + (word if r > 0.85 else
                                                                 rng.choice(["Società Cooperativa Sociale", "s.c.s.", "scs"]))
        elif prefix == "Parrocchia":
            name = tag + " - " + word + " " + e["core"] if tag and r < 0.12 else word + " " + core
        elif r < P["prefix_drop"] and not e.get("person"):
            name = core
        else:
            name = core + " " + word if r < P["prefix_drop"] + 0.08 else word + " " + core
    name = render_form(name, e["form"], P, rng)
    if rng.random() < P["abbr"]:
        for long, short in SAINT_ABBR:
            name = name.replace(long, short)
    return text_habits(name, P, rng, P["typo"]), False


def render_office(e, P, rng, town_local):
    town, r = e["town"].name, rng.random()
    office = e["short"] if rng.random() < P["abbr"] else e["office"]
    comune = ("Comune di " if rng.random() < 0.7 else e["city_word"] + " di ") + town
    if rng.random() < P["nick"]:
        name = e["nick"]
    elif town_local and r < 0.3:
        name = office                                      # the Comune's own register: just "Servizi Sociali"
    else:
        name = comune + " - " + office if r < 0.55 else office + " - " + comune if r < 0.7 else \
            office + " del " + comune if r < 0.85 else "Comune %s %s" % (town, office)
    return text_habits(name, P, rng, P["typo"])


def fmt_phone(number, style, rng):
    p = number[:3] if number.startswith(("3", "011")) else number[:4]
    r = number[len(p):]
    dotted = ".".join([r[:3], r[3:5], r[5:]] if len(r) == 7 else [r[:2], r[2:4], r[4:]])
    if style == "tel_dots":
        return rng.choice(["tel. ", "Tel. ", "tel "]) + p + "/" + dotted
    if style == "tel":
        return rng.choice(["tel. ", "Tel: ", "tel "]) + fmt_phone(number, rng.choice(["slash", "space"]), rng)
    return {"plain": p + r, "space": p + " " + r, "slash": p + "/" + r, "dots": p + "/" + dotted, "dash": p + "-" + r,
            "paren": "(" + p + ") " + dotted.replace(".", " "), "groups": p + " " + dotted.replace(".", " "),
            "intl": "+39 " + p + " " + r, "intl00": "0039 " + p + r, "e164": "+39" + p + r}[style]


def render_street(pl, P, rng):
    stype, street = pl["stype"], pl["street"]
    if rng.random() < P["street_abbr"] and not (stype == "Via" and rng.random() < 0.6):
        stype = rng.choice(STYPE_ABBR[stype])
    if pl["first"]:
        street = rng.choices([pl["first"] + " " + street, pl["first"][0] + ". " + street, street], [3, 2, 3])[0]
    elif street in STREET_VARIANTS and rng.random() < 0.35:
        street = STREET_VARIANTS[street]
    num = str(pl["num"])
    if pl["suffix"]:
        num += rng.choice(["/", "", " "]) + (pl["suffix"] if pl["suffix"] == "bis" or rng.random() < 0.7 else pl["suffix"].lower())
    num = {"n": "n. ", "n2": "n.", "N": "N° ", "civ": "civ. "}.get(wchoice(rng, P["num_styles"]), "") + num
    text = stype + " " + street + (rng.choice([" ", ", ", " "]) + num if rng.random() > 0.02 else "")
    if pl["extra"] and rng.random() < P["extra"]:
        text += rng.choice([", ", " - ", " "]) + pl["extra"]
    return text_habits(text, P, rng, P["typo_street"], allow_lower=False)


def render_cap(pl, P, rng):
    cap = pl["cap"]
    if pl["town"].name == "Torino" and rng.random() < P["cap_generic"]:
        return "10100"                                     # the old generic code for Turin
    if rng.random() < P["cap_off"]:
        i = rng.randrange(2, 5)
        cap = cap[:i] + str((int(cap[i]) + rng.choice([1, 9])) % 10) + cap[i + 1:]
    return cap


def render_location(pl, P, rng, org_id):
    loc_id = new_uuid(rng)
    loc = {"id": loc_id, "organization_id": org_id, "location_type": "physical"}
    if pl["host"] and (rng.random() < P["co"] or rng.random() < 0.1):
        host = pl["host"]
        if rng.random() < P["abbr"] + 0.2:
            host = host.replace("Parrocchia", "Parr.").replace("San ", "S. ").replace("Santa ", "S. ")
        loc["name"] = text_habits(rng.choice(["c/o ", "c/o ", "presso "]) + host, P, rng, P["typo"] / 2)
    elif pl["pname"] and rng.random() < P["loc_name"]:
        loc["name"] = text_habits(pl["pname"], P, rng, 0)
    street, town = render_street(pl, P, rng), render_town(pl["town"].name, P, rng)
    addr = {"id": new_uuid(rng), "location_id": loc_id}
    if P["whole"]:                                         # "Via Roma 3, 10023 Chieri (TO)" and no city
        cap = render_cap(pl, P, rng) + " " if rng.random() < P["cap"] else ""
        addr["address_1"] = street + rng.choice([", ", " - ", " "]) + cap + town + rng.choice([" (TO)", " (TO)", ""])
    else:
        addr.update(address_1=street, city=town)
        if rng.random() < P["cap"]:
            addr["postal_code"] = render_cap(pl, P, rng)
        state = wchoice(rng, P["state"])
        if state:
            addr["state_province"] = state if rng.random() < 0.9 else "Torino"
    addr.update(country="IT", address_type="physical")
    loc["addresses"] = [addr]
    if pl["phone"] and rng.random() < P["loc_phone"]:
        loc["phones"] = [{"number": fmt_phone(pl["phone"], wchoice(rng, P["phone_styles"]), rng)}]
    return loc, loc_id


def render_website(e, P, rng):
    socials = [("https://www.facebook.com/%s", "facebook.com/%s", "https://m.facebook.com/%s/") if k == "fb" else
               ("https://www.instagram.com/%s/", "instagram.com/%s") for k in ("fb", "ig") if e[k]]
    if socials and (rng.random() < P["social"] or not e["domain"]):
        i = rng.randrange(len(socials))
        return rng.choice(socials[i]) % (e["fb"] if e["fb"] and i == 0 else e["ig"])
    if e["domain"]:
        return rng.choice(["https://www.%s", "http://www.%s", "www.%s", "https://%s/", "%s"]) % e["domain"]
    return None


def render_record(e, places, P, rng):
    org_id = new_uuid(rng)
    name, used_nick = render_name(e, P, rng, e["places"][0]["town"].name in P["local"])
    rec = {"id": org_id, "name": name}
    if rng.random() < P["alt"]:
        if used_nick:
            rec["alternate_name"] = e["canonical"]
        elif e["nick"]:
            rec["alternate_name"] = text_habits(e["nick"], P, rng, 0)
    if e["tax"] and rng.random() < P["tax"]:
        t = e["tax"]
        if rng.random() < 0.01:                            # a transcription slip
            i = rng.randrange(11)
            t = t[:i] + str((int(t[i]) + 1) % 10) + t[i + 1:]
        rec["tax_id"] = t
    if rng.random() < P["email"]:
        email = e["pec"] if e["pec"] and rng.random() < P["pec"] else e["email"]
        rec["email"] = email.upper() if P["upper"] and rng.random() < 0.3 else email
    website = render_website(e, P, rng) if rng.random() < P["web"] else None
    if website:
        rec["website"] = website
    phones = []
    if e["phone"] and rng.random() < P["phone"]:
        phones.append(fmt_phone(e["phone"], wchoice(rng, P["phone_styles"]), rng))
    if e["mobile"] and rng.random() < P["mobile"]:
        mob = fmt_phone(e["mobile"], wchoice(rng, P["phone_styles"]), rng)
        if phones and rng.random() < 0.2:
            phones[0] += rng.choice([" - ", " / ", "; "]) + mob    # two numbers in one field
        else:
            phones.append(mob)
    if phones:
        rec["phones"] = [{"number": p} for p in phones]
    rec["locations"], truth = [], []
    for pl in places:
        loc, loc_id = render_location(pl, P, rng, org_id)
        rec["locations"].append(loc)
        truth.append((org_id, loc_id, e["eid"], pl["label"]))
    return rec, truth


def records_for(e, P, rng):
    """The places of each record this source has: one record with 1-2 places, or one per branch."""
    places, r = e["places"], rng.random()
    if len(places) == 1:
        plan = [places]
    elif r < P["multi"]:
        plan = [[places[0], rng.choice(places[1:])]]
    elif r < P["multi"] + 0.35:
        plan = [[p] for p in places if rng.random() < 0.8] or [[places[0]]]
    else:
        plan = [[places[0] if rng.random() < 0.6 else rng.choice(places)]]
    if rng.random() < P["dup"]:                            # a stale second copy in the same file
        plan.append(rng.choice(plan))
    return plan


def choose_sources(e, rng):
    """1-5 sources, skewed towards one, among those that cover the entity's area and kind."""
    eligible = {s: P["weight"] * P["kinds"][e["kind"]] for s, P in SOURCES.items()
                if e["area"] in P["areas"] and e["kind"] in P["kinds"] and
                (not P["needs_tax"] or (e["tax"] and e.get("registry", True)))}
    chosen = []
    for _ in range(min(len(eligible), rng.choices((1, 2, 3, 4, 5), (45, 25, 15, 10, 5))[0])):
        chosen.append(wchoice(rng, eligible))
        del eligible[chosen[-1]]
    return chosen


def generate(n_records, seed, out_dir):
    rng = random.Random(seed)
    world = World(rng)
    buffers = {s: [] for s in SOURCES}
    truth, records, entities = [], 0, 0
    while records < n_records:
        for e in world.family():
            sources = choose_sources(e, rng)
            entities += bool(sources)
            for s in sources:
                for places in records_for(e, SOURCES[s], rng):
                    rec, rows = render_record(e, places, SOURCES[s], rng)
                    buffers[s].append(json.dumps(rec, ensure_ascii=False))
                    truth.extend(rows)
                    records += 1
    os.makedirs(out_dir, exist_ok=True)
    for s, lines in buffers.items():
        rng.shuffle(lines)                                 # no order hints inside a file
        with open(os.path.join(out_dir, s + ".jsonl"), "w", encoding="utf-8") as f:
            f.write("".join(line + "\n" for line in lines))
    with open(os.path.join(out_dir, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "location_id", "organization", "location"])
        w.writerows(truth)
    return records, entities


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, required=True, help="total number of records over all sources (approximate)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("out_dir")
    args = ap.parse_args()
    records, entities = generate(args.records, args.seed, args.out_dir)
    print("%d records of %d true entities in %d sources -> %s" % (records, entities, len(SOURCES), args.out_dir))


if __name__ == "__main__":
    main()
