"""The fixed XML parts of decisions.xlsx (ECMA-376 SpreadsheetML), around the sheet's rows.

`spreadsheet.py` streams the rows; everything here is small and the same for every run except the
sheet's size (the filter's range) and its column widths. Style indices (`cellXfs`) are named below
so that the writer and the stylesheet cannot drift apart.
"""

from __future__ import annotations

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STAMP = "2000-01-01T00:00:00Z"  # the workbook's created/modified dates: same decisions, same bytes
SHEET = "decisions"
SHEET_PART = "xl/worksheets/sheet1.xml"

# cellXfs indices, in the order of `STYLES` below.
DEFAULT, HEADER, TOP, TOP_WRAPPED, TOP_SCORE = range(5)

CONTENT_TYPES = (
    f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/{SHEET_PART}" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>")

PACKAGE_RELATIONSHIPS = (
    f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PACKAGE_RELS}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>")

CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>dtc-select</dc:creator>"
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:modified>'
    "</cp:coreProperties>")

APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>dtc-select</Application></Properties>")

WORKBOOK_RELATIONSHIPS = (
    f'<Relationships xmlns="{PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    "</Relationships>")

_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"'
STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'  # Excel reserves the first two fills
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE6EDF4"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    f'<xf numFmtId="0" {_XF}><alignment vertical="top"/></xf>'
    f'<xf numFmtId="0" {_XF}><alignment vertical="top" wrapText="1"/></xf>'
    f'<xf numFmtId="164" {_XF} applyNumberFormat="1"><alignment vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>")


def workbook(last_column: str, last_row: int) -> str:
    """workbook.xml: one sheet, and the hidden name Excel keeps for a sheet's filter range."""
    absolute = f"$A$1:${last_column}${last_row}"
    return (f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{SHEET}!{absolute}</definedName></definedNames></workbook>")


def sheet_head(dimension: str, widths: list[tuple[float, int]]) -> str:
    """The sheet up to its first row (from its XML declaration): size, frozen header row and first
    column, column widths and the styles of their empty cells."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{width:g}" style="{style}" customWidth="1"/>'
                   for i, (width, style) in enumerate(widths, start=1))
    cols = f"<cols>{cols}</cols>" if cols else ""  # <cols> may not be empty
    return (f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="{dimension}"/>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>'
            '<selection pane="topRight"/><selection pane="bottomLeft"/>'
            '<selection pane="bottomRight" activeCell="B2" sqref="B2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>')


def sheet_tail(filter_range: str) -> str:
    """The sheet after its last row: the filter over every row."""
    return (f'</sheetData><autoFilter ref="{filter_range}"/>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')


def fixed_parts(last_column: str, last_row: int) -> dict[str, str]:
    """Every part but the sheet, by name, in the order they are written."""
    texts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELATIONSHIPS,
             "docProps/core.xml": CORE, "docProps/app.xml": APP, "xl/workbook.xml": workbook(last_column, last_row),
             "xl/_rels/workbook.xml.rels": WORKBOOK_RELATIONSHIPS, "xl/styles.xml": STYLES}
    return {name: DECLARATION + text for name, text in texts.items()}

