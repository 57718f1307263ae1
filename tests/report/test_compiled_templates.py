"""The report's templates compiled once and read back from jinja's cache (report/view.py)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from dtc_select.report import view


def _report(example_outcome, bytecode_cache) -> str:
    environment = view._ViewEnvironment(loader=PackageLoader("dtc_select.report", "templates"), autoescape=True,
                                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                        keep_trailing_newline=True, auto_reload=False, bytecode_cache=bytecode_cache)
    return environment.get_template("report.html.j2").render(**view.report_view(example_outcome, lang="fr"))


def test_templates_read_back_from_the_cache_give_the_report_compiled_from_source(example_outcome, tmp_path):
    cache = view._CompiledTemplates(str(tmp_path))
    compiled = _report(example_outcome, cache)  # compiles, and fills the cache
    assert len(list(tmp_path.iterdir())) >= 18  # every template the report includes
    assert _report(example_outcome, view._CompiledTemplates(str(tmp_path))) == compiled == _report(example_outcome, None)


def test_a_cache_that_cannot_be_written_or_holds_damaged_entries_only_means_compiling(example_outcome, tmp_path):
    missing = view._CompiledTemplates(str(tmp_path / "no-such-folder"))
    expected = _report(example_outcome, None)
    assert _report(example_outcome, missing) == expected
    cache = view._CompiledTemplates(str(tmp_path))
    _report(example_outcome, cache)
    for entry in tmp_path.iterdir():  # cut short after jinja's header: what a full disk would leave
        entry.write_bytes(entry.read_bytes()[:40])
    assert _report(example_outcome, view._CompiledTemplates(str(tmp_path))) == expected


def test_the_report_s_environment_keeps_jinja_s_escaping_and_strictness():
    template = view._template()
    assert isinstance(template.environment, Environment) and template.environment.autoescape is True
    assert template.environment.undefined is StrictUndefined
