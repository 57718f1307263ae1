"""Facts about each applicant's host country that rules and ranking use.

Joined once from the shipped reference tables, as they stood on the call's date, so that
eligibility (`host_is_ldc`, `host_development`), ranking (`presence`) and allocation (`region`)
all read the same facts.
"""

from __future__ import annotations

import pandas as pd

from dtc_select.call.model import Call
from dtc_select.reference.countries import CountryTable


def host_country_facts(applications: pd.DataFrame, call: Call, table: CountryTable) -> pd.DataFrame:
    """Columns `country_name`, `region`, `host_is_ldc`, `host_development`, `host_region`,
    `itu_office`, `presence` for each application (same index)."""
    facts = table.facts(applications["country_iso3"], call.country_status.as_of)
    priority = call.presence_priority
    named = applications["country_iso3"].isin(list(priority.countries))
    itu = facts["itu_office"].fillna(False).astype(bool) if priority.itu_offices else False
    return pd.DataFrame(
        {
            "country_name": facts["country_name"],
            "region": facts["region"],
            "host_is_ldc": facts["is_ldc"],
            "host_development": facts["development"],
            "host_region": facts["region"],
            "itu_office": facts["itu_office"],
            "presence": (named | itu).astype("boolean"),
        },
        index=applications.index,
    )
