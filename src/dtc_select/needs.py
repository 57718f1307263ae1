"""Each ITU-D region's need, from which its share of the seats follows (Annex §3).

The formula is named in the call file. `offline_share_x_eligible_share`:
    need = (100 - % of individuals using the Internet in the region) / 100
           * (ITU Member States in the region that may host a DTC on the call's date)
           / (ITU Member States in the region)
The first factor is how many people the region still has to bring online (ITU Facts and Figures);
the second keeps a region whose countries mostly cannot host a DTC (Europe: developed countries)
from claiming seats it could not fill. Every number is shown in the report, so a committee member
can recompute the seats by hand.
"""

from __future__ import annotations

import pandas as pd

from dtc_select import vocabulary as vocab
from dtc_select.call import Call
from dtc_select.countries import CountryTable, load_regional_indicators


def regional_needs(call: Call, table: CountryTable) -> pd.DataFrame:
    """One row per region (REGIONS order) with the formula's inputs and `need`."""
    need = call.allocation.need
    frame = pd.DataFrame(index=pd.Index(vocab.REGIONS, name="region"))
    frame["region_name"] = [vocab.REGION_NAMES[r] for r in vocab.REGIONS]
    if need.formula == "explicit":
        frame["need"] = [float(need.explicit.get(r, 0.0)) for r in vocab.REGIONS]
        return frame
    indicators = load_regional_indicators().set_index("region")
    members = table.frame[table.frame["itu_member"] == "Y"]
    facts = table.facts(pd.Series(members.index, index=members.index), call.country_status.as_of)
    may_host = facts["is_ldc"].fillna(False).astype(bool) | (facts["development"] == "developing").fillna(False)
    frame["internet_use_percent"] = indicators["internet_use_percent"].reindex(frame.index).astype(float)
    frame["indicator_year"] = indicators["year"].reindex(frame.index)
    frame["offline_share"] = (100.0 - frame["internet_use_percent"]) / 100.0
    frame["member_states"] = facts.groupby("region").size().reindex(frame.index, fill_value=0)
    frame["eligible_states"] = may_host.groupby(facts["region"]).sum().reindex(frame.index, fill_value=0)
    frame["eligible_share"] = frame["eligible_states"] / frame["member_states"]
    frame["need"] = (frame["offline_share"] * frame["eligible_share"]).round(6)
    return frame
