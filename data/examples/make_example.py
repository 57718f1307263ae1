"""Generate the bundled example call: phase 1 of the ITU-Cisco DTC initiative (2019).

Writes, next to this file:
- ``applications.csv``: 90 applications, columns in the order of contract §1;
- ``scores.csv``: three reviewers' scores in the long format of contract §2;
- ``EXPECTED.md``: every deliberately ineligible or quarantined row, which the tests check.

Everything is synthetic: institutions, people, e-mail addresses (all ``example.org``) and phone
numbers are invented; any likeness to a real institution or person is accidental. The call being
simulated is the one in ``criteria/dtc-phase1-2019.yaml``: deadline 2019-11-30 end of day UTC,
10 seats, at most one DTC per country, only least developed and developing host countries,
priority to countries where ITU or Cisco is present.

Run ``python data/examples/make_example.py``; it is deterministic (``numpy.random.default_rng(2019)``,
rows drawn in a fixed order) and writes byte-identical files (UTF-8 without BOM, comma separated,
LF line endings) on every run.

Deliberate cases
================
Every row not listed below is an ordinary applicant that is taken in and passes every minimum
qualification. Applicants come in three tiers (strong, middling, weak) whose answers are drawn
from different ranges; optional cells are sometimes left empty ("not stated").

Regions and countries
  - All six ITU-D regions: Africa (most), Americas, Arab States, Asia-Pacific, CIS, Europe.
  - Several applicants from one country, so that the one-DTC-per-country cap matters:
    Kenya x3; Senegal, Nepal, Honduras, Uganda, Rwanda, Cameroon, Côte d'Ivoire, Ghana, Tanzania,
    Zambia, Nigeria, Haiti, Peru, India, Philippines, Ethiopia, Germany x2 (some of these are
    ineligible or quarantined).
  - Countries are written as users write them: English names ("Kenya"), French names with accents
    ("Sénégal", "Éthiopie", "Bénin", "Haïti", "Égypte", "Cameroun", "Kirghizistan"), "Côte d’Ivoire"
    with a typographic apostrophe, ISO alpha-2 ("KE", "TZ", "GH"), ISO alpha-3 ("NPL", "RWA",
    "NGA", "HTI", "CIV", "ETH"), other cases ("SENEGAL", "kenya", "honduras"), stray spaces
    (" Uganda "), UN names and aliases ("United Republic of Tanzania", "Viet Nam", "Lao PDR",
    "Türkiye").
  - Bhutan and Vanuatu were Least Developed Countries on 2019-11-30 (they graduated in 2023 and
    2020): a table of today's LDCs would get them wrong. Both are eligible either way (developing).
  - Türkiye and Georgia (ITU-D Europe) are developing countries under the UN M49 common practice,
    hence eligible; France, Germany and Switzerland are developed, hence ineligible.

Minimum qualifications (the rule ids of the call file)
  - non_profit: two for_profit organisations (non_profit false); two NGOs declaring non_profit
    false. A public_institution with non_profit "no" and a university_branch with non_profit "0"
    are ELIGIBLE: public institutions and universities count as non-profit.
  - host_country: one applicant each in France, Germany and Switzerland.
  - training_levels: two without intermediate training, two without basic training.
  - infrastructure: two with zero training labs (but workstations), two with zero workstations
    (but a lab).
  - distance_learning: two answering "no".
  - deadline: submitted 2019-12-01 and 2019-12-15; and 2019-11-30T23:30:00-05:00, which is
    2019-12-01 04:30 UTC, late. On time, by contrast: 2019-12-01T00:30:00+02:00 (22:30 UTC on the
    30th), 2019-11-30T23:59:59Z (the deadline itself) and the bare date 2019-11-30.
  - Two applicants fail several rules at once: a German for_profit that does not do distance
    learning (non_profit, host_country, distance_learning), and an Ethiopian centre with no lab,
    no workstation, no basic training, submitted 2019-12-03 (training_levels, infrastructure,
    deadline).

Quarantine (rows that cannot be taken in; each has one problem unless said otherwise)
  - country "Atlantis" (unknown); institution_name empty; training_labs "two"; workstations
    "-5"; organisation_type "company"; distance_learning "maybe"; submitted_at "03/04/2019"
    (day and month order unknown, and not ISO 8601); offers_basic_training "sometimes" (not a
    boolean); a later row repeating an earlier row's application_id (the later row is quarantined,
    the first occurrence is taken in); and one row with three problems: application_id empty,
    training_labs "3.5" (not an integer), submitted_at "2019-13-45" (not a date).

Other traps
  - Booleans spelled true/false, TRUE/FALSE, yes/no, Yes/No, Y/N, y/n, 1/0, oui/non, Oui/Non and
    x/empty (one spelling per applicant, as a person filling a form would; oui/non only from
    francophone countries; x/empty only from applicants whose required booleans are all true). With
    the x style an optional "no" is left empty, so it reads as "not stated".
  - submitted_at as a bare date, as UTC date-time (Z), with an offset (+03:00, -05:00), or naive.
  - One description spans two lines (a quoted newline): source_row counts data rows, not lines.
  - Cells a spreadsheet would run as a formula: an institution_name starting with "@", a
    description starting with "=", phone numbers starting with "+", a reviewer comment starting
    with "+". Exported tables must neutralise them.
  - Descriptions with commas, quotes and semicolons (quoted CSV cells).

Scores
  - Reviewers R1 (generous), R2 (harsh) and R3 (in between) score every application on the
    eight reviewer-scored criteria of the call, integers 1 to 5 that follow the application's
    answers plus noise. Ineligible applicants are scored too (the reviewers saw every file), and
    so are quarantined rows whose application_id can be read; the row without an application_id
    is not scored, and the duplicated id is scored once.
  - Two reviewer/application pairs declare a conflict of interest: conflict_of_interest is "yes"
    on all eight of that reviewer's rows for that application. Elsewhere the column is mostly
    empty, sometimes "no".
  - Some rows carry a short comment. Rows are sorted by application_id, reviewer_id, criterion.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 2019
DEADLINE = dt.datetime(2019, 11, 30, 23, 59, 59, tzinfo=dt.timezone.utc)
OPENS = dt.datetime(2019, 9, 15, 6, 0, tzinfo=dt.timezone.utc)

COLUMNS = [
    "application_id", "institution_name", "country", "city", "organisation_type", "non_profit",
    "offers_basic_training", "offers_intermediate_training", "training_labs", "workstations",
    "internet_mbps", "government_endorsement", "research_capacity", "distance_learning",
    "has_mission_statement", "has_business_plan", "innovation_programmes", "committed_staff",
    "committed_budget_usd", "scaling_plan", "trainees_last_year", "trainers", "submitted_at",
    "contact_name", "contact_email", "contact_phone", "description",
]
CRITERIA = [
    "training_levels", "infrastructure", "reputation", "research_capacity", "distance_learning",
    "mission_alignment", "innovation", "commitment_scale",
]
REVIEWERS = {"R1": 0.6, "R2": -0.7, "R3": 0.0}  # generous, harsh, in between
OPTIONAL_BOOLEANS = [
    "government_endorsement", "research_capacity", "has_mission_statement", "has_business_plan",
    "innovation_programmes", "scaling_plan",
]

# ---------------------------------------------------------------------------------------------
# The applicants. (key, ISO3 for bookkeeping only, country as written, city, institution,
# organisation type, tier, overrides). `overrides` sets true values ("values"), replaces written
# cells verbatim ("cells"), fixes the submission instant ("at", "at_text") and states what the
# pipeline must decide ("expect": ("ineligible", rules) or ("quarantine", problems)).
# ---------------------------------------------------------------------------------------------
S, M, W = "strong", "middling", "weak"
CTC, NGO, UNI, UB, PUB, FP, OTH = (
    "community_training_centre", "ngo", "university", "university_branch", "public_institution",
    "for_profit", "other",
)

APPLICANTS = [
    # --- Africa ------------------------------------------------------------------------------
    ("sn-thies", "SEN", "Sénégal", "Thiès", "Centre Numérique de Thiès", CTC, S, {}),
    ("sn-stlouis", "SEN", "SENEGAL", "Saint-Louis", "Institut Numérique du Fleuve", UB, M, {}),
    ("ke-nairobi", "KEN", "Kenya", "Nairobi", "Nairobi Digital Skills Foundation", NGO, S, {}),
    ("ke-kisumu", "KEN", "KE", "Kisumu", "Lakeside ICT Training Centre", CTC, S, {}),
    ("ke-mombasa", "KEN", "kenya", "Mombasa", "Coast Youth Tech Hub", NGO, M, {}),
    ("ug-kampala", "UGA", "Uganda", "Kampala", "Kampala Community ICT Hub", CTC, S,
     {"at": dt.datetime(2019, 9, 20, 8, 15, tzinfo=dt.timezone.utc)}),
    ("ug-gulu", "UGA", " Uganda ", "Gulu", "Gulu Youth Digital Centre", NGO, W, {}),
    ("rw-kigali", "RWA", "Rwanda", "Kigali", "@Kigali Code Collective", NGO, S,
     {"description": "=SUM() is where our spreadsheet course begins; we train young people "
                     "from every district of Kigali."}),
    ("rw-huye", "RWA", "RWA", "Huye", "Huye District ICT Training Centre", PUB, M,
     {"values": {"non_profit": False}, "style": ("yes", "no"),
      "note": "public_institution with non_profit \"no\": eligible"}),
    ("et-addis", "ETH", "Éthiopie", "Addis Ababa", "Addis Digital Futures Institute", PUB, S, {}),
    ("gh-kumasi", "GHA", "Ghana", "Kumasi", "Ashanti Community Computer School", CTC, M, {}),
    ("ng-lagos", "NGA", "NGA", "Lagos", "Lagos Women in Tech Training Centre", NGO, S, {}),
    ("ng-kano", "NGA", "Nigeria", "Kano", "Kano CompuSkills Ltd", FP, M,
     {"values": {"non_profit": False}, "expect": ("ineligible", ["non_profit"]),
      "note": "for_profit organisation"}),
    ("zm-lusaka", "ZMB", "Zambia", "Lusaka", "Lusaka Open Learning Centre", CTC, M, {}),
    ("mw-lilongwe", "MWI", "Malawi", "Lilongwe", "Lilongwe Digital Literacy Trust", NGO, W, {}),
    ("mg-tana", "MDG", "Madagascar", "Antananarivo", "Centre de Formation Numérique d’Antananarivo",
     CTC, M, {"values": {"offers_intermediate_training": False},
              "expect": ("ineligible", ["training_levels"]), "note": "no intermediate training"}),
    ("ci-abidjan", "CIV", "Côte d’Ivoire", "Abidjan", "Maison du Numérique d’Abidjan", PUB, S, {}),
    ("ci-bouake", "CIV", "CIV", "Bouaké", "Centre Communautaire TIC de Bouaké", CTC, W, {}),
    ("cm-yaounde", "CMR", "Cameroun", "Yaoundé", "Institut Communautaire du Numérique de Yaoundé",
     CTC, S, {}),
    ("cm-douala", "CMR", "Cameroon", "Douala", "Espace Numérique de Douala", CTC, M,
     {"values": {"training_labs": 1, "workstations": 0},
      "expect": ("ineligible", ["infrastructure"]), "note": "zero workstations (one lab)"}),
    ("bf-ouaga", "BFA", "Burkina Faso", "Ouagadougou", "Association Faso Numérique", NGO, M, {}),
    ("bj-cotonou", "BEN", "Bénin", "Cotonou", "Centre Béninois des Compétences Numériques", NGO, M,
     {"values": {"distance_learning": "no"}, "expect": ("ineligible", ["distance_learning"]),
      "note": "distance_learning \"no\""}),
    ("zw-harare", "ZWE", "Zimbabwe", "Harare", "Harare Polytechnic ICT Extension", UB, S, {}),
    ("tz-dar", "TZA", "United Republic of Tanzania", "Dar es Salaam",
     "Dar es Salaam Digital Skills Centre", CTC, S, {}),
    ("tz-arusha", "TZA", "TZ", "Arusha", "Arusha Youth Innovation Lab", NGO, M, {}),
    ("mz-maputo", "MOZ", "Mozambique", "Maputo", "Centro Comunitário Digital de Maputo", CTC, M,
     {"at_text": "2019-11-30", "note": "bare date on the deadline day: on time"}),
    ("et-bahirdar", "ETH", "ETH", "Bahir Dar", "Bahir Dar Computer Literacy Centre", CTC, W,
     {"values": {"training_labs": 0, "workstations": 0, "offers_basic_training": False},
      "at_text": "2019-12-03T10:05:00Z",
      "expect": ("ineligible", ["training_levels", "infrastructure", "deadline"]),
      "note": "several rules: no basic training, no lab, no workstation, late"}),
    ("gh-tamale", "GHA", "GH", "Tamale", "Tamale Advanced Networking Academy", UB, M,
     {"values": {"offers_basic_training": False}, "expect": ("ineligible", ["training_levels"]),
      "note": "no basic training"}),
    ("zm-ndola", "ZMB", "Zambia", "Ndola", "Copperbelt Digital Learning Centre", NGO, M,
     {"at_text": "2019-12-01", "expect": ("ineligible", ["deadline"]),
      "note": "submitted 2019-12-01"}),
    ("gh-accra", "GHA", "Ghana", "Accra", "", NGO, M,
     {"expect": ("quarantine", ["institution_name: required cell empty"])}),
    ("mw-blantyre", "MWI", "Malawi", "Blantyre", "Blantyre Community Computer Centre", CTC, M,
     {"cells": {"training_labs": "two"},
      "expect": ("quarantine", ["training_labs: \"two\" is not a number"])}),
    ("ug-mbarara", "UGA", "Uganda", "Mbarara", "Mbarara Digital Skills Centre", CTC, M,
     {"at": dt.datetime(2019, 11, 12, 9, 40, tzinfo=dt.timezone.utc), "duplicate_of": "ug-kampala",
      "expect": ("quarantine", ["application_id: duplicate of an earlier row"])}),
    # --- Americas ----------------------------------------------------------------------------
    ("ht-pap", "HTI", "Haïti", "Port-au-Prince", "Centre Haïtien d’Éducation Numérique", NGO, M, {}),
    ("ht-jacmel", "HTI", "HTI", "Jacmel", "Centre Communautaire Numérique de Jacmel", CTC, M,
     {"values": {"training_labs": 0, "workstations": 12},
      "expect": ("ineligible", ["infrastructure"]), "note": "zero training labs (12 workstations)"}),
    ("hn-tegucigalpa", "HND", "Honduras", "Tegucigalpa", "Instituto Digital de Tegucigalpa", PUB, S, {}),
    ("hn-sps", "HND", "honduras", "San Pedro Sula", "Fundación Sula Conecta", NGO, S, {}),
    ("bo-elalto", "BOL", "Bolivie", "El Alto", "Centro de Alfabetización Digital El Alto", CTC, W,
     {"values": {"offers_intermediate_training": False},
      "expect": ("ineligible", ["training_levels"]), "note": "no intermediate training"}),
    ("gt-xela", "GTM", "Guatemala", "Quetzaltenango", "Centro Comunitario de Computación Xela", CTC, M,
     {"values": {"distance_learning": "no"}, "expect": ("ineligible", ["distance_learning"]),
      "note": "distance_learning \"no\""}),
    ("py-asuncion", "PRY", "Paraguay", "Asunción", "Fundación Paraguay Digital", NGO, M, {}),
    ("pe-lima", "PER", "Peru", "Lima", "Asociación Lima Digital", NGO, M,
     {"values": {"non_profit": False}, "style": ("Y", "N"),
      "expect": ("ineligible", ["non_profit"]), "note": "ngo declaring non_profit false (\"N\")"}),
    ("pe-cusco", "PER", "PE", "Cusco", "Centro Andino de Habilidades Digitales", CTC, M, {}),
    ("co-medellin", "COL", "Colombia", "Medellín", "Universidad Popular de Medellín", UNI, S, {}),
    ("do-sd", "DOM", "République dominicaine", "Santo Domingo", "Centro Tecnológico Comunitario Quisqueya",
     CTC, M, {}),
    ("jm-kingston", "JAM", "Jamaica", "Kingston", "Kingston Youth Digital Trust", NGO, M,
     {"at_text": "2019-11-30T23:30:00-05:00", "expect": ("ineligible", ["deadline"]),
      "note": "2019-11-30T23:30-05:00 is 2019-12-01 04:30 UTC: late"}),
    ("ec-cuenca", "ECU", "Ecuador", "Cuenca", "Centro de Capacitación Digital Azuay", CTC, W, {}),
    ("ni-leon", "NIC", "Nicaragua", "León", "Fundación León Digital", NGO, M,
     {"at_text": "2019-11-30T23:59:59Z", "note": "submitted at the deadline itself: on time"}),
    ("ec-quito", "ECU", "Ecuador", "Quito", "Quito Community Technology Centre", CTC, M,
     {"cells": {"workstations": "-5"},
      "expect": ("quarantine", ["workstations: -5 is negative"])}),
    ("py-multi", "PRY", "Paraguay", "Encarnación", "Centro Digital del Sur", CTC, W,
     {"no_id": True, "cells": {"training_labs": "3.5", "submitted_at": "2019-13-45"},
      "at": dt.datetime(2019, 11, 20, 12, 0, tzinfo=dt.timezone.utc),
      "expect": ("quarantine", ["application_id: required cell empty",
                                "training_labs: \"3.5\" is not a whole number",
                                "submitted_at: \"2019-13-45\" is not a date"])}),
    # --- Arab States -------------------------------------------------------------------------
    ("eg-cairo", "EGY", "Égypte", "Cairo", "Cairo Digital Skills Academy", PUB, S,
     {"at_text": "2019-12-01T00:30:00+02:00",
      "note": "2019-12-01T00:30+02:00 is 2019-11-30 22:30 UTC: on time"}),
    ("ma-casa", "MAR", "Maroc", "Casablanca", "Association Casablanca Digitale", NGO, M,
     {"values": {"non_profit": False}, "style": ("oui", "non"),
      "expect": ("ineligible", ["non_profit"]), "note": "ngo declaring non_profit false (\"non\")"}),
    ("tn-tunis", "TUN", "Tunisie", "Tunis", "Centre Communautaire du Numérique de Tunis", CTC, S, {}),
    ("jo-amman", "JOR", "Jordan", "Amman", "Amman Digital Youth Initiative", NGO, M, {}),
    ("sd-khartoum", "SDN", "Sudan", "Khartoum", "Khartoum Youth ICT Centre", CTC, M,
     {"values": {"training_labs": 2, "workstations": 0},
      "expect": ("ineligible", ["infrastructure"]), "note": "zero workstations (two labs)"}),
    ("mr-nouakchott", "MRT", "Mauritanie", "Nouakchott", "Centre de Formation Numérique de Nouakchott",
     CTC, M, {}),
    ("ye-aden", "YEM", "Yemen", "Aden", "Aden Digital Learning Association", NGO, W, {}),
    ("dj-djibouti", "DJI", "Djibouti", "Djibouti", "Fondation Bibliothèque Numérique de Djibouti", OTH,
     M, {}),
    ("tn-sfax", "TUN", "Tunisia", "Sfax", "Sfax Digital Training Services", "company", M,
     {"expect": ("quarantine", ["organisation_type: \"company\" is not a known type"])}),
    ("jo-irbid", "JOR", "Jordan", "Irbid", "Irbid Community Computer Club", CTC, M,
     {"cells": {"offers_basic_training": "sometimes"},
      "expect": ("quarantine", ["offers_basic_training: \"sometimes\" is not a boolean"])}),
    # --- Asia-Pacific ------------------------------------------------------------------------
    ("np-ktm", "NPL", "Nepal", "Kathmandu", "Kathmandu Valley Digital Skills Centre", NGO, S,
     {"at": dt.datetime(2019, 9, 18, 5, 30, tzinfo=dt.timezone.utc),
      "description": "We run basic and intermediate courses in three districts.\n"
                     "Our trainers also visit rural schools during the monsoon break.",
      "note": "description spans two lines"}),
    ("np-pokhara", "NPL", "NPL", "Pokhara", "Pokhara Community Learning Centre", CTC, S, {}),
    ("bd-dhaka", "BGD", "Bangladesh", "Dhaka", "Dhaka Digital Inclusion Foundation", NGO, S, {}),
    ("kh-pp", "KHM", "Cambodia", "Phnom Penh", "Phnom Penh Community Tech Centre", CTC, M, {}),
    ("la-vientiane", "LAO", "Lao PDR", "Vientiane", "Vientiane ICT Training Institute", PUB, M, {}),
    ("vn-danang", "VNM", "Viet Nam", "Da Nang", "Da Nang Digital Skills Institute", UB, S,
     {"values": {"non_profit": False}, "style": ("1", "0"),
      "note": "university_branch with non_profit \"0\": eligible"}),
    ("id-yogya", "IDN", "Indonesia", "Yogyakarta", "Yogyakarta Digital Community Centre", CTC, S, {}),
    ("ph-cebu", "PHL", "Philippines", "Cebu City", "Cebu IT Solutions Inc.", FP, S,
     {"values": {"non_profit": False}, "expect": ("ineligible", ["non_profit"]),
      "note": "for_profit organisation"}),
    ("ph-davao", "PHL", "Philippines", "Davao City", "Mindanao Digital Literacy Network", NGO, S, {}),
    ("fj-suva", "FJI", "Fiji", "Suva", "Pacific Islands ICT Extension Centre", UB, M, {}),
    ("vu-portvila", "VUT", "Vanuatu", "Port Vila", "Port Vila Community Computer Centre", CTC, W,
     {"note": "Vanuatu was an LDC on 2019-11-30 (graduated 2020)"}),
    ("bt-thimphu", "BTN", "Bhutan", "Thimphu", "Thimphu Digital Skills Institute", PUB, S,
     {"note": "Bhutan was an LDC on 2019-11-30 (graduated 2023)"}),
    ("mn-ub", "MNG", "Mongolia", "Ulaanbaatar", "Gobi Mobile Digital Classroom", NGO, M,
     {"values": {"training_labs": 0, "workstations": 20},
      "expect": ("ineligible", ["infrastructure"]),
      "note": "zero training labs (20 laptops in a van)"}),
    ("mm-yangon", "MMR", "Myanmar", "Yangon", "Yangon Youth Digital Network", NGO, M, {}),
    ("pg-lae", "PNG", "Papua New Guinea", "Lae", "Lae Community Learning Hub", CTC, W, {}),
    ("lk-kandy", "LKA", "Sri Lanka", "Kandy", "Kandy Digital Skills Centre", CTC, M,
     {"at_text": "2019-12-15T09:00:00+05:30", "expect": ("ineligible", ["deadline"]),
      "note": "submitted 2019-12-15"}),
    ("in-pune", "IND", "India", "Pune", "Pune Advanced Cloud Skills Institute", UB, S,
     {"values": {"offers_basic_training": False}, "expect": ("ineligible", ["training_levels"]),
      "note": "no basic training"}),
    ("in-bbsr", "IND", "Inde", "Bhubaneswar", "Odisha Rural Digital Skills Mission", NGO, S, {}),
    ("bd-khulna", "BGD", "Bangladesh", "Khulna", "Khulna Youth ICT Centre", CTC, M,
     {"cells": {"distance_learning": "maybe"},
      "expect": ("quarantine", ["distance_learning: \"maybe\" is not a known answer"])}),
    # --- CIS ---------------------------------------------------------------------------------
    ("kg-bishkek", "KGZ", "Kirghizistan", "Bishkek", "Bishkek Digital Skills Association", NGO, M, {}),
    ("tj-dushanbe", "TJK", "Tajikistan", "Dushanbe", "Dushanbe Community Computer Centre", CTC, W, {}),
    ("uz-tashkent", "UZB", "Uzbekistan", "Tashkent", "Tashkent Regional ICT Training Centre", PUB, S, {}),
    ("am-yerevan", "ARM", "Armenia", "Yerevan", "Yerevan Digital Futures Foundation", NGO, S, {}),
    ("kz-almaty", "KAZ", "Kazakhstan", "Almaty", "Almaty Open University", UNI, M, {}),
    ("kg-osh", "KGZ", "Kyrgyzstan", "Osh", "Osh Community Learning Centre", CTC, M,
     {"cells": {"submitted_at": "03/04/2019"},
      "expect": ("quarantine", ["submitted_at: \"03/04/2019\" is ambiguous, not ISO 8601"])}),
    # --- Europe ------------------------------------------------------------------------------
    ("fr-lyon", "FRA", "France", "Lyon", "Association Numérique Solidaire de Lyon", NGO, M,
     {"expect": ("ineligible", ["host_country"]), "note": "host country developed"}),
    ("de-leipzig", "DEU", "Germany", "Leipzig", "Digitalwerkstatt Leipzig e.V.", NGO, M,
     {"expect": ("ineligible", ["host_country"]), "note": "host country developed"}),
    ("ch-geneve", "CHE", "Suisse", "Genève", "Atelier Numérique de Genève", CTC, M,
     {"expect": ("ineligible", ["host_country"]), "note": "host country developed"}),
    ("de-berlin", "DEU", "DEU", "Berlin", "Berlin Code Akademie GmbH", FP, S,
     {"values": {"non_profit": False, "distance_learning": "no"},
      "expect": ("ineligible", ["non_profit", "host_country", "distance_learning"]),
      "note": "several rules: for_profit, developed host country, no distance learning"}),
    ("tr-gaziantep", "TUR", "Türkiye", "Gaziantep", "Gaziantep Digital Skills Association", NGO, M, {}),
    ("ge-kutaisi", "GEO", "Georgia", "Kutaisi", "Kutaisi Community Technology Centre", CTC, M, {}),
    # --- nowhere -----------------------------------------------------------------------------
    ("xx-atlantis", None, "Atlantis", "Poseidonia", "Atlantis Digital Academy", NGO, M,
     {"expect": ("quarantine", ["country: \"Atlantis\" is not a known country"])}),
]

REGION_OF = {
    **dict.fromkeys(["SEN", "KEN", "UGA", "RWA", "ETH", "GHA", "NGA", "ZMB", "MWI", "MDG", "CIV",
                     "CMR", "BFA", "BEN", "ZWE", "TZA", "MOZ"], "AFR"),
    **dict.fromkeys(["HTI", "HND", "BOL", "GTM", "PRY", "PER", "COL", "DOM", "JAM", "ECU", "NIC"],
                    "AMS"),
    **dict.fromkeys(["EGY", "MAR", "TUN", "JOR", "SDN", "MRT", "YEM", "DJI"], "ARB"),
    **dict.fromkeys(["NPL", "BGD", "KHM", "LAO", "VNM", "IDN", "PHL", "FJI", "VUT", "BTN", "MNG",
                     "MMR", "PNG", "LKA", "IND"], "ASP"),
    **dict.fromkeys(["KGZ", "TJK", "UZB", "ARM", "KAZ"], "CIS"),
    **dict.fromkeys(["FRA", "DEU", "CHE", "TUR", "GEO"], "EUR"),
}
FRANCOPHONE = {"SEN", "CIV", "CMR", "BFA", "BEN", "MDG", "HTI", "MAR", "TUN", "MRT", "DJI", "FRA", "CHE"}
DIAL = {
    "SEN": "221", "KEN": "254", "UGA": "256", "RWA": "250", "ETH": "251", "GHA": "233", "NGA": "234",
    "ZMB": "260", "MWI": "265", "MDG": "261", "CIV": "225", "CMR": "237", "BFA": "226", "BEN": "229",
    "ZWE": "263", "TZA": "255", "MOZ": "258", "HTI": "509", "HND": "504", "BOL": "591", "GTM": "502",
    "PRY": "595", "PER": "51", "COL": "57", "DOM": "1 809", "JAM": "1 876", "ECU": "593", "NIC": "505",
    "EGY": "20", "MAR": "212", "TUN": "216", "JOR": "962", "SDN": "249", "MRT": "222", "YEM": "967",
    "DJI": "253", "NPL": "977", "BGD": "880", "KHM": "855", "LAO": "856", "VNM": "84", "IDN": "62",
    "PHL": "63", "FJI": "679", "VUT": "678", "BTN": "975", "MNG": "976", "MMR": "95", "PNG": "675",
    "LKA": "94", "IND": "91", "KGZ": "996", "TJK": "992", "UZB": "998", "ARM": "374", "KAZ": "7",
    "FRA": "33", "DEU": "49", "CHE": "41", "TUR": "90", "GEO": "995",
}
UTC_OFFSET = {"AFR": 2, "AMS": -5, "ARB": 3, "ASP": 6, "CIS": 5, "EUR": 1}

# Invented names, combined at random within a pool (a language area, else the region).
GIVEN = {
    "fr": ["Aminata", "Moussa", "Fatou", "Rivo", "Adjoa", "Yao", "Mariam", "Jean-Robert", "Nadège",
           "Yasmine", "Karim", "Claire", "Anne-Sophie", "Ibrahima", "Sylvie"],
    "es": ["Mariela", "José", "Wilfredo", "Rosa", "Camila", "Andrés", "Yesenia", "Marlon", "Lucía"],
    "AFR": ["Wanjiru", "Otieno", "Nakato", "Kwame", "Chiamaka", "Tadesse", "Mulenga", "Chipo",
            "Baraka", "Eshe", "Tendai", "Grace", "Samuel", "Esperance"],
    "AMS": ["Keisha", "Marlon", "Andrea", "Dwayne"],
    "ARB": ["Yasmine", "Omar", "Salma", "Karim", "Hala", "Mohamed", "Leila", "Ahmed", "Nour"],
    "ASP": ["Sabina", "Rajesh", "Farzana", "Sokha", "Khamla", "Thu Trang", "Putri", "Maricel",
            "Sione", "Karma", "Oyunaa", "Thiri", "Kumari", "Anjali", "Tevita"],
    "CIS": ["Aizhan", "Bakyt", "Dilnoza", "Farrukh", "Anahit", "Timur", "Zarina"],
    "EUR": ["Lukas", "Elif", "Nino", "Matthias", "Zeynep", "Giorgi"],
}
FAMILY = {
    "fr": ["Diop", "Ndiaye", "Rakotomalala", "Kouassi", "Ouédraogo", "Pierre-Louis", "Mbarga",
           "Hounkpatin", "Ben Salah", "El Amrani", "Moreau", "Ould Cheikh", "Farah", "Traoré"],
    "es": ["Martínez", "Mejía", "Quispe", "Vargas", "Rojas", "Fernández", "Castillo", "Herrera",
           "Benítez"],
    "AFR": ["Mwangi", "Ochieng", "Namutebi", "Mensah", "Okafor", "Bekele", "Banda", "Mukamana",
            "Moyo", "Mushi", "Tembo", "Chissano", "Phiri"],
    "AMS": ["Campbell", "Brown", "Clarke", "Williams"],
    "ARB": ["Haddad", "Mansour", "Osman", "Saleh", "Al-Khatib", "Abdelrahman", "Farah"],
    "ASP": ["Shrestha", "Rahman", "Chea", "Phommachanh", "Nguyen", "Santoso", "Reyes", "Naidu",
            "Dorji", "Bat-Erdene", "Aung", "Perera", "Sharma", "Kalsakau", "Kila"],
    "CIS": ["Abdrakhmanova", "Usmonov", "Karimova", "Petrosyan", "Nurlanov", "Sadykova"],
    "EUR": ["Schneider", "Yılmaz", "Beridze", "Fischer", "Demir", "Kapanadze"],
}
SPANISH = {"HND", "BOL", "GTM", "PRY", "PER", "COL", "DOM", "ECU", "NIC"}
DESCRIPTIONS_EN = [
    "We offer basic and intermediate digital skills courses to young people and women in {city}.",
    "Our centre trains teachers, civil servants and small traders, and runs a train-the-trainer programme.",
    "Since 2015 we have delivered computer literacy, office software and web development courses in {city} and nearby towns.",
    "We want to become a regional hub for digital skills, with a focus on girls, rural youth and persons with disabilities.",
    "Courses cover basic computing, internet safety, coding and digital entrepreneurship; fees are waived for low-income learners.",
    "We partner with local schools and the municipality to bring digital skills to \"the last mile\".",
]
DESCRIPTIONS_FR = [
    "Nous proposons des formations numériques de base et intermédiaires aux jeunes et aux femmes de {city}.",
    "Notre centre forme des enseignants, des agents publics et des commerçants ; il anime aussi un programme de formation de formateurs.",
    "Depuis 2016, nous dispensons des cours d’initiation à l’informatique, de bureautique et de création de sites web à {city}.",
    "Nous voulons devenir un pôle régional des compétences numériques, en priorité pour les filles et la jeunesse rurale.",
]
COMMENTS = {
    "low": ["Little evidence given.", "Answers are vague; no figures.", "Weak on this point.",
            "No documents attached for this criterion."],
    "high": ["Well documented.", "Strong, with figures for the last three years.",
             "Convincing plan.", "+1 to the panel's view: strong community links."],
    "mid": ["Adequate.", "Plausible but thin.", "Would need a site visit to confirm."],
}
BOOLEAN_STYLES = [
    ("true", "false"), ("TRUE", "FALSE"), ("yes", "no"), ("Yes", "No"), ("Y", "N"), ("y", "n"),
    ("1", "0"), ("oui", "non"), ("Oui", "Non"), ("x", ""),
]
TIER_Q = {S: (0.75, 1.0), M: (0.4, 0.7), W: (0.1, 0.35)}
# (reviewer, applicant key): the reviewer declares a conflict of interest on that application.
CONFLICTS = (("R1", "tz-dar"), ("R3", "np-pokhara"))


def _sat(value, at):
    return None if value is None else min(float(value) / at, 1.0)


def _mean(values):
    present = [v for v in values if v is not None]
    return None if not present else sum(present) / len(present)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "-.")


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def _draw_answers(rng: np.random.Generator, tier: str, q: float) -> dict:
    """The applicant's true answers; None means "not stated"."""
    def pick(low, high):
        return int(rng.integers(low, high + 1))

    def flag(p):
        return bool(rng.random() < p)

    if tier == S:
        labs, ws, mbps = pick(2, 6), pick(20, 120), float(pick(10, 200))
        staff, budget = pick(5, 40), float(pick(20, 500) * 500)
        trainees, trainers = pick(500, 20000), pick(5, 60)
        distance = "delivering" if rng.random() < 0.75 else "willing"
    elif tier == M:
        labs, ws, mbps = pick(1, 3), pick(10, 40), float(pick(8, 60)) / 2
        staff, budget = pick(2, 10), float(pick(6, 80) * 500)
        trainees, trainers = pick(150, 3000), pick(2, 15)
        distance = "delivering" if rng.random() < 0.3 else "willing"
    else:
        labs, ws, mbps = pick(1, 2), pick(3, 15), float(pick(1, 16)) / 2
        staff, budget = pick(1, 4), float(pick(5, 80) * 100)
        trainees, trainers = pick(20, 400), pick(1, 5)
        distance = "willing"
    answers = {
        "non_profit": True,
        "offers_basic_training": True,
        "offers_intermediate_training": True,
        "training_labs": labs,
        "workstations": ws,
        "internet_mbps": mbps,
        "government_endorsement": flag(q),
        "research_capacity": flag(q * 0.9),
        "distance_learning": distance,
        "has_mission_statement": flag(0.5 + 0.5 * q),
        "has_business_plan": flag(q),
        "innovation_programmes": flag(0.2 + 0.7 * q),
        "committed_staff": staff,
        "committed_budget_usd": budget,
        "scaling_plan": flag(q * 0.9),
        "trainees_last_year": trainees,
        "trainers": trainers,
    }
    # Weaker applications leave more optional cells empty.
    blank_p = {S: 0.03, M: 0.1, W: 0.2}[tier]
    for column in ("internet_mbps", "government_endorsement", "research_capacity",
                   "has_business_plan", "committed_budget_usd", "scaling_plan", "trainers"):
        if rng.random() < blank_p:
            answers[column] = None
    return answers


def _truth(answers: dict, q: float) -> dict:
    """How good each criterion looks from the answers, 0..1 (what a reviewer would see)."""
    a = answers

    def b(column, yes=0.85, no=0.2, missing=0.35):
        value = a[column]
        return missing if value is None else (yes if value else no)

    levels = 1.0 if a["offers_basic_training"] and a["offers_intermediate_training"] else 0.3
    raw = {
        "training_levels": levels * (_mean([_sat(a["trainees_last_year"], 5000), _sat(a["trainers"], 30)]) or 0.2),
        "infrastructure": _mean([_sat(a["training_labs"], 4), _sat(a["workstations"], 60),
                                 _sat(a["internet_mbps"], 50)]),
        "reputation": b("government_endorsement"),
        "research_capacity": b("research_capacity"),
        "distance_learning": {"delivering": 0.95, "willing": 0.5, "no": 0.05}[a["distance_learning"]],
        "mission_alignment": (b("has_mission_statement") + b("has_business_plan")) / 2,
        "innovation": b("innovation_programmes"),
        "commitment_scale": _mean([_sat(a["committed_staff"], 20), _sat(a["committed_budget_usd"], 100000),
                                   b("scaling_plan", 1.0, 0.0, 0.3)]),
    }
    return {key: 0.7 * value + 0.3 * q for key, value in raw.items()}


def _format_instant(rng: np.random.Generator, at: dt.datetime, region: str | None) -> str:
    style = int(rng.integers(0, 4))
    if style == 0:
        return at.strftime("%Y-%m-%d")
    if style == 1:
        return at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 2:
        hours = UTC_OFFSET.get(region, 0)
        local = at.astimezone(dt.timezone(dt.timedelta(hours=hours)))
        return local.isoformat(timespec="seconds")
    return at.strftime("%Y-%m-%dT%H:%M:%S")  # naive: read as UTC


def build(rng: np.random.Generator):
    """All rows (in file order), their bookkeeping, and the scores."""
    span = (DEADLINE - dt.timedelta(days=1) - OPENS).total_seconds()
    records = []
    used_names = set()
    for key, iso3, country, city, name, org_type, tier, extra in APPLICANTS:
        region = REGION_OF.get(iso3)
        low, high = TIER_Q[tier]
        q = float(low + (high - low) * rng.random())
        answers = _draw_answers(rng, tier, q)
        answers.update(extra.get("values", {}))
        if org_type == FP:
            answers["non_profit"] = False
        drawn_at = OPENS + dt.timedelta(seconds=int(rng.random() * span))
        at = extra.get("at", drawn_at)
        at_text = extra.get("at_text")
        if at_text is not None:
            at = dt.datetime.fromisoformat(at_text.replace("Z", "+00:00"))
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.timezone.utc)
            if len(at_text) == 10:
                at = at.replace(hour=12)  # a bare date: ordered within its day
        required = [answers["non_profit"], answers["offers_basic_training"],
                    answers["offers_intermediate_training"]]
        # French spellings from francophone countries only; "x" only when every required
        # boolean is true (an empty required cell would be a missing answer, not "no").
        styles = [st for st in BOOLEAN_STYLES if st[0].lower() != "oui"]
        if not all(required):
            styles = [st for st in styles if st[0] != "x"]
        if iso3 in FRANCOPHONE and rng.random() < 0.5:
            style = ("oui", "non") if rng.random() < 0.5 else ("Oui", "Non")
        else:
            style = styles[int(rng.integers(0, len(styles)))]
        style = extra.get("style", style)  # drawn first either way, so other rows do not change
        pool = "fr" if iso3 in FRANCOPHONE else "es" if iso3 in SPANISH else region or "EUR"
        while True:  # every contact person is a different (invented) person
            given = GIVEN[pool][int(rng.integers(0, len(GIVEN[pool])))]
            family = FAMILY[pool][int(rng.integers(0, len(FAMILY[pool])))]
            if (given, family) not in used_names:
                used_names.add((given, family))
                break
        dial = DIAL.get(iso3, "30")
        digits = "".join(str(int(d)) for d in rng.integers(0, 10, 8))
        phone = f"+{dial} {digits[:2]} {digits[2:5]} {digits[5:]}"
        texts = DESCRIPTIONS_FR if iso3 in FRANCOPHONE else DESCRIPTIONS_EN
        description = texts[int(rng.integers(0, len(texts)))].format(city=city)
        blanks = rng.random(3)
        records.append({
            "key": key, "iso3": iso3, "region": region, "tier": tier, "q": q, "answers": answers,
            "at": at, "at_text": at_text, "extra": extra,
            "cells_base": {
                "institution_name": name,
                "country": country,
                "city": city if blanks[0] > 0.04 else "",
                "organisation_type": org_type,
                "contact_name": f"{given} {family}",
                "contact_email": f"{_ascii(given)}.{_ascii(family)}@example.org",
                "contact_phone": phone if blanks[1] > 0.1 else "",
                "description": extra.get("description", description if blanks[2] > 0.08 else ""),
            },
            "style": style,
            "format_seed": int(rng.integers(0, 2**31)),
        })

    # File order: order of receipt (the submission instant), ties by key.
    records.sort(key=lambda r: (r["at"], r["key"]))
    by_key = {}
    for number, record in enumerate(records, start=1):
        record["source_row"] = number
        record["application_id"] = f"DTC-2019-{number:03d}"
        by_key[record["key"]] = record
    for record in records:
        if "duplicate_of" in record["extra"]:
            original = by_key[record["extra"]["duplicate_of"]]
            assert original["source_row"] < record["source_row"]
            record["application_id"] = original["application_id"]
            record["duplicate_of_row"] = original["source_row"]
        if record["extra"].get("no_id"):
            record["application_id"] = ""

    rows = []
    for record in records:
        a, (yes, no) = record["answers"], record["style"]
        local = np.random.default_rng(record["format_seed"])

        def boolean(value):
            return "" if value is None else (yes if value else no)

        cells = dict(record["cells_base"])
        cells["application_id"] = record["application_id"]
        for column in ("non_profit", "offers_basic_training", "offers_intermediate_training",
                       *OPTIONAL_BOOLEANS):
            cells[column] = boolean(a[column])
        for column in ("training_labs", "workstations", "internet_mbps", "committed_staff",
                       "committed_budget_usd", "trainees_last_year", "trainers"):
            cells[column] = _number(a[column])
        cells["distance_learning"] = a["distance_learning"]
        cells["submitted_at"] = record["at_text"] or _format_instant(local, record["at"], record["region"])
        cells.update(record["extra"].get("cells", {}))
        rows.append([cells[column] for column in COLUMNS])
        record["cells"] = cells

    # Scores: every application whose id can be read, once per id.
    scores = []
    scored_ids = set()
    for record in records:
        app_id = record["application_id"]
        if not app_id or app_id in scored_ids:
            continue
        scored_ids.add(app_id)
        truth = _truth(record["answers"], record["q"])
        for reviewer, bias in REVIEWERS.items():
            noise = rng.normal(0.0, 0.55, len(CRITERIA))
            comment_at = int(rng.integers(0, len(CRITERIA))) if rng.random() < 0.25 else None
            blank_coi = rng.random() < 0.85
            for index, criterion in enumerate(CRITERIA):
                value = 1 + 4 * truth[criterion] + bias + noise[index]
                score = int(min(5, max(1, round(value))))
                comment = ""
                if comment_at == index:
                    kind = "low" if score <= 2 else "high" if score >= 4 else "mid"
                    comment = COMMENTS[kind][int(rng.integers(0, len(COMMENTS[kind])))]
                conflict = "yes" if (reviewer, record["key"]) in CONFLICTS else ("" if blank_coi else "no")
                scores.append([app_id, reviewer, criterion, str(score), comment, conflict])
    scores.sort(key=lambda s: (s[0], s[1], s[2]))
    return records, rows, scores


def _csv_text(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _expected_md(records) -> str:
    ids = {r["key"]: r["application_id"] for r in records}
    lines = [
        "# Expected outcomes of the example call",
        "",
        "Generated by `make_example.py`; do not edit by hand. `source_row` is the 1-based data row",
        "number in `applications.csv` (the header is not a row; a quoted newline inside a cell does not",
        "start a new row). Rule ids are those of `criteria/dtc-phase1-2019.yaml`.",
        "",
        f"Rows: {len(records)}. Quarantined: "
        f"{sum(1 for r in records if r['extra'].get('expect', ('',))[0] == 'quarantine')}. "
        f"Ineligible: {sum(1 for r in records if r['extra'].get('expect', ('',))[0] == 'ineligible')}. "
        "Every row not listed here is taken in and passes every minimum qualification.",
        "",
        "## Ineligible (taken in, status `ineligible`, failing exactly these rules)",
        "",
        "| application_id | source_row | country | rules | case |",
        "|---|---|---|---|---|",
    ]
    for r in records:
        expect = r["extra"].get("expect")
        if expect and expect[0] == "ineligible":
            lines.append(f"| {r['application_id']} | {r['source_row']} | {r['iso3']} | "
                         f"{', '.join(expect[1])} | {r['extra'].get('note', '')} |")
    lines += [
        "",
        "## Quarantined (not taken in; in `quarantine.csv`)",
        "",
        "| application_id | source_row | problems |",
        "|---|---|---|",
    ]
    for r in records:
        expect = r["extra"].get("expect")
        if expect and expect[0] == "quarantine":
            problems = list(expect[1])
            if "duplicate_of_row" in r:
                problems = [f"application_id: duplicate of source_row {r['duplicate_of_row']} "
                            f"(which is taken in)"]
            lines.append(f"| {r['application_id']} | {r['source_row']} | "
                         f"{'; '.join(p.replace('|', '/') for p in problems)} |")
    lines += [
        "",
        "## Eligible edge cases (taken in and eligible)",
        "",
        "| application_id | source_row | country | case |",
        "|---|---|---|---|",
    ]
    for r in records:
        if "expect" not in r["extra"] and r["extra"].get("note"):
            lines.append(f"| {r['application_id']} | {r['source_row']} | {r['iso3']} | "
                         f"{r['extra']['note']} |")
    lines += [
        "",
        "## Scores",
        "",
        "- Conflicts of interest (`conflict_of_interest` = yes on all eight rows of the pair): "
        + ", ".join(f"{reviewer} on {ids[key]}" for reviewer, key in CONFLICTS) + ".",
        "- Not scored: the quarantined row without an application_id.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    rng = np.random.default_rng(SEED)
    records, rows, scores = build(rng)
    files = {
        "applications.csv": _csv_text(COLUMNS, rows),
        "scores.csv": _csv_text(
            ["application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest"],
            scores),
        "EXPECTED.md": _expected_md(records),
    }
    for name, text in files.items():
        (HERE / name).write_bytes(text.encode("utf-8"))
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
