"""The public call (Annex §3), one self-contained printable HTML page per language.

Everything on it comes from the call file and the call's form: who may apply and the minimum
qualifications (the eligibility rules in words), the information to provide (every form field,
required ones marked), how applications are assessed (criteria, weights, the presence priority,
seats), the deadline with its time zone, and where to send the application. No script, no remote
resource; jinja2 escapes every value (autoescape=True, explicitly).
"""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment, PackageLoader, StrictUndefined

from dtc_select.errors import CallFileError
from dtc_select.paperwork.form import FormField, form_fields
from dtc_select.report.i18n import localized

WORDS = {
    "en": {
        "lang_name": "English", "other": "fr", "colon": ":", "other_name": "Version française",
        "call": "Call for applications", "who": "Who may apply",
        "who_intro": "Any institution that meets every minimum qualification below may apply.", "qualifications": "Minimum qualifications",
        "qualifications_intro": "An application is considered only if it meets every one of these:",
        "information": "Information to provide", "required": "required", "optional": "optional",
        "required_note": "Questions marked * must be answered; an application without them cannot be considered.",
        "question": "Question", "answer": "Answer expected", "field": "Field id",
        "on_receipt": "given by the secretariat when the application arrives",
        "assessed": "How applications are assessed", "criterion": "Criterion", "weight": "Weight",
        "source": "Source", "scored_by_reviewers": "scored 1-5 by the committee's reviewers",
        "from_answers": "from the answers given", "both": "committee's reviewers and the answers given",
        "reviewer_share": "Reviewers' scores count for {share} of each criterion that also has measured answers.",
        "priority": "Priority", "seats": "Seats", "deadline": "Deadline", "send": "Where to send the application",
        "email": "By e-mail", "web": "Online", "address": "By post",
        "kinds": {"text": "text", "boolean": "yes or no", "integer": "a whole number", "number": "a number",
                  "date": "a date (YYYY-MM-DD)", "country": "a country (name or ISO code)", "choice": "one of:"},
        "at_least": "at least {n}", "generated": "Made by dtc-select from the call file {path}.",
        "reference": "Source",
    },
    "fr": {
        "lang_name": "Français", "other": "en", "colon": "\u00a0:", "other_name": "English version",
        "call": "Appel à candidatures", "who": "Qui peut candidater",
        "who_intro": "Toute institution qui remplit chacune des conditions minimales ci-dessous peut candidater.", "qualifications": "Conditions minimales",
        "qualifications_intro": "Une candidature n'est examinée que si elle remplit chacune de ces conditions :",
        "information": "Informations à fournir", "required": "obligatoire", "optional": "facultatif",
        "required_note": "Les questions marquées * sont obligatoires ; une candidature sans réponse à "
                         "l'une d'elles ne peut pas être examinée.",
        "question": "Question", "answer": "Réponse attendue", "field": "Identifiant",
        "on_receipt": "attribué par le secrétariat à la réception de la candidature",
        "assessed": "Évaluation des candidatures", "criterion": "Critère", "weight": "Poids",
        "source": "Source", "scored_by_reviewers": "noté de 1 à 5 par les évaluateurs du comité",
        "from_answers": "d'après les réponses fournies", "both": "évaluateurs du comité et réponses fournies",
        "reviewer_share": "Les notes des évaluateurs comptent pour {share} de chaque critère qui a aussi des "
                          "réponses mesurées.",
        "priority": "Priorité", "seats": "Nombre de centres", "deadline": "Date limite",
        "send": "Où envoyer la candidature", "email": "Par courriel", "web": "En ligne", "address": "Par courrier",
        "kinds": {"text": "texte", "boolean": "oui ou non", "integer": "un nombre entier", "number": "un nombre",
                  "date": "une date (AAAA-MM-JJ)", "country": "un pays (nom ou code ISO)", "choice": "l'une des valeurs :"},
        "at_least": "au moins {n}", "generated": "Produit par dtc-select à partir du fichier d'appel {path}.",
        "reference": "Source",
    },
}
MONTHS = {"en": "January February March April May June July August September October November December",
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"}


def page_name(lang: str) -> str:
    return f"call-{lang}.html"


def check_submission(call) -> None:
    """`pack` cannot write a call that does not say where to send the application."""
    if call.submission is None:
        raise CallFileError(call.path, "submission", "is missing: the public call must say where applications are "
                                                    "sent (submission: email, web or address)")


def render_call_page(call, lang: str) -> str:
    check_submission(call)
    words = WORDS[lang]
    env = Environment(loader=PackageLoader("dtc_select.paperwork", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("call.html.j2").render(
        lang=lang, w=words, title=localized(call, "title", lang), call=call,
        country_status=localized(call.country_status, "description", lang),
        classification=localized(call.country_status, "classification", lang),
        rules=[(localized(r, "description", lang), localized(r, "reference", lang)) for r in call.rules],
        fields=[_field(f, lang, words) for f in form_fields(call)],
        criteria=[_criterion(c, lang, words) for c in call.criteria],
        reviewer_share=words["reviewer_share"].format(share=f"{call.scoring.reviewer_share:.0%}".replace("%", "\u00a0%")),
        priority=localized(call.presence_priority, "description", lang),
        seats=localized(call.allocation, "description", lang),
        need=localized(call.allocation.need, "description", lang),
        deadline=_moment(call.deadline.value, lang),
        deadline_words=localized(call.deadline, "description", lang),
        submission=call.submission,
        submission_words=localized(call.submission, "description", lang),
        address=localized(call.submission, "address", lang) if call.submission.address else None,
        path=call.path.rsplit("/", 1)[-1],
    )


def _field(field: FormField, lang: str, words: dict) -> dict:
    return {"id": field.id, "question": field.question(lang), "answer": _answer(field, lang, words),
            "required": field.asked, "on_receipt": field.on_receipt}


def _answer(field: FormField, lang: str, words: dict) -> str:
    """The answer expected, in words; for a field recorded on receipt, who records it."""
    if field.on_receipt:
        return words["on_receipt"]
    kind = words["kinds"][field.kind]
    if field.choices:
        kind += " " + "; ".join(c.label_fr if lang == "fr" else c.label_en for c in field.choices)
    if field.minimum is not None:
        kind += f" ({words['at_least'].format(n=f'{field.minimum:g}')})"
    return kind


def _criterion(criterion, lang: str, words: dict) -> dict:
    source = words["both"] if criterion.reviewer_scored and criterion.measures else \
        words["scored_by_reviewers"] if criterion.reviewer_scored else words["from_answers"]
    name = (criterion.label_fr if lang == "fr" else None) or criterion.label or criterion.id
    return {"name": name, "description": localized(criterion, "description", lang), "weight": f"{criterion.weight:g}",
            "source": source, "reference": localized(criterion, "reference", lang)}


def _moment(value: dt.datetime, lang: str) -> str:
    """The deadline in the call's own time zone, said in words with the zone named."""
    month = MONTHS[lang].split()[value.month - 1]
    zone = value.tzname() or "UTC"
    if lang == "fr":
        return f"{value.day} {month} {value.year} à {value:%H} h {value:%M} ({zone})"
    return f"{value.day} {month} {value.year}, {value:%H:%M} ({zone})"
