"""Importers: record files (JSON, NDJSON, CSV) and the O*NET database text files."""

from engine.importers.bulk import ImportReport, import_files, import_parsed
from engine.importers.onet import OnetCatalog, import_onet, read_onet
from engine.importers.records import ParsedRecord, RecordError, parse_file, parse_ndjson_text

__all__ = [
    "ImportReport",
    "OnetCatalog",
    "ParsedRecord",
    "RecordError",
    "import_files",
    "import_onet",
    "import_parsed",
    "parse_file",
    "parse_ndjson_text",
    "read_onet",
]
