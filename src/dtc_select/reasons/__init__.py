"""Reasons as data: each reason is a key and its fields; sentences come from a catalogue per language.

The stages (rules, seats, ranking, checks, intake, the committee's overrides) say *why* as
`Reason(key, fields)`; `decisions.csv` keeps them as JSON in `reason_codes`, and its English
`reasons` column, the report and any other language are rendered from them with the catalogue
`catalogue/<lang>.yaml` (`render.Renderer`). Nothing is ever parsed back from a sentence: a new
language is one new catalogue file.
"""
