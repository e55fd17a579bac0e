"""Text embeddings and vector indexes for skillgraph.

Leaf package: depends only on numpy, faiss and (lazily) sentence-transformers;
never on engine/graph/service. Importing it loads no model and reads no file.
"""

from __future__ import annotations

from .cache import CachedEncoder, MemoryCache, TextCache, text_key
from .encoder import BUNDLED_MODEL_ID, Encoder, bundled_model_path
from .errors import CorruptIndex, EmbeddingsError, IndexFileError, ModelLoadError, StaleIndex
from .factory import make_index
from .fake import FakeEncoder
from .flat import FlatIndex
from .hnsw import HNSWIndex
from .index import VectorIndex
from .persist import index_from_parts, index_parts, load_index, read_index_version, save_index, write_graph
from .protocol import TextEncoder

__all__ = [
    "BUNDLED_MODEL_ID",
    "CachedEncoder",
    "CorruptIndex",
    "EmbeddingsError",
    "Encoder",
    "FakeEncoder",
    "FlatIndex",
    "HNSWIndex",
    "IndexFileError",
    "MemoryCache",
    "ModelLoadError",
    "StaleIndex",
    "TextCache",
    "TextEncoder",
    "VectorIndex",
    "bundled_model_path",
    "index_from_parts",
    "index_parts",
    "load_index",
    "make_index",
    "read_index_version",
    "save_index",
    "text_key",
    "write_graph",
]
