"""The committee report (HTML, English and French) and decisions.xlsx."""
