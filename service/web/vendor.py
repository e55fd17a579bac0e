"""Vendored front-end assets: fetched from the npm registry with npm, recorded with their licences.

``make vendor`` (``python -m service.web.vendor``) packs each pinned package with ``npm pack``,
copies the files the app serves and their licence files into ``service/web/static/vendor/<dir>/``
and writes ``PROVENANCE.json`` beside them (package, version, licence, the registry's tarball
integrity, sha256 of every file). A file is patched only to stop it fetching from the internet;
each patch is listed here and in the record, with the upstream file's sha256 beside the served
one. ``python -m service.web.vendor --check`` verifies the files against it without any network.
Nothing here runs when the app runs: it only serves the files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PINS", "PROVENANCE", "VENDOR_DIR", "Asset", "check", "refresh"]

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
PROVENANCE = VENDOR_DIR / "PROVENANCE.json"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    directory: str  # under static/vendor/
    files: tuple[str, ...]  # paths inside the package, served by the app
    licences: tuple[str, ...]  # licence / notice files inside the package, shipped beside them
    patches: tuple[tuple[str, str, str, str], ...] = ()  # (file, text, replacement, why)


PINS: tuple[Asset, ...] = (
    Asset("htmx.org", "2.0.11", "htmx", ("dist/htmx.min.js",), ("LICENSE",)),
    Asset("swagger-ui-dist", "5.35.0", "swagger-ui", ("swagger-ui-bundle.js", "swagger-ui.css"),
          ("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt")),
    Asset("redoc", "2.5.4", "redoc", ("bundles/redoc.standalone.js",),
          ("LICENSE", "bundles/redoc.standalone.js.LICENSE.txt"),
          patches=(("bundles/redoc.standalone.js", 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
                    'src:"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"',
                    "the sidebar's Redocly logo loads from a CDN: an empty inline image instead"),)),
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack(asset: Asset, into: Path) -> tuple[Path, str]:
    """``npm pack`` one pinned package into ``into``: (tarball, registry integrity)."""
    out = subprocess.run(
        ["npm", "pack", f"{asset.package}@{asset.version}", "--json", "--pack-destination", str(into)],
        check=True, capture_output=True, text=True,
    )
    info = json.loads(out.stdout)[0]
    return into / info["filename"], info["integrity"]


def _patched(asset: Asset, inner: str, data: bytes) -> tuple[bytes, list[str]]:
    why = []
    for name, old, new, reason in asset.patches:
        if name != inner:
            continue
        if old.encode() not in data:
            raise RuntimeError(f"{asset.package}@{asset.version} {inner}: patch no longer applies ({reason})")
        data = data.replace(old.encode(), new.encode())
        why.append(reason)
    return data, why


def refresh(vendor_dir: Path = VENDOR_DIR) -> dict[str, object]:
    """Re-fetch every pinned asset and rewrite PROVENANCE.json; returns the provenance record."""
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for asset in PINS:
            tarball, integrity = _pack(asset, Path(tmp))
            dest = vendor_dir / asset.directory
            dest.mkdir(parents=True, exist_ok=True)
            for stale in dest.iterdir():
                stale.unlink()
            with tarfile.open(tarball) as tar:
                meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
                files = []
                for inner in (*asset.files, *asset.licences):
                    upstream = tar.extractfile(f"package/{inner}").read()  # type: ignore[union-attr]
                    data, why = _patched(asset, inner, upstream)
                    target = dest / Path(inner).name
                    target.write_bytes(data)
                    entry = {"path": f"{asset.directory}/{target.name}", "from": inner, "bytes": len(data),
                             "sha256": hashlib.sha256(data).hexdigest(),
                             "kind": "licence" if inner in asset.licences else "asset"}
                    if why:
                        entry.update(upstream_sha256=hashlib.sha256(upstream).hexdigest(), patched=why)
                    files.append(entry)
            records.append({"package": asset.package, "version": asset.version, "registry": "npm",
                            "license": meta.get("license"), "homepage": meta.get("homepage"),
                            "tarball_integrity": integrity, "files": files})
    provenance: dict[str, object] = {"refreshed_by": "make vendor (python -m service.web.vendor)",
                                     "assets": records}
    (vendor_dir / PROVENANCE.name).write_text(json.dumps(provenance, indent=2) + "\n")
    return provenance


def check(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Problems with the vendored files (missing, altered, not pinned); empty when all is well."""
    problems = []
    record = json.loads((vendor_dir / PROVENANCE.name).read_text())
    recorded = {(a["package"], a["version"]) for a in record["assets"]}
    for asset in PINS:
        if (asset.package, asset.version) not in recorded:
            problems.append(f"{asset.package}@{asset.version} is pinned but not vendored: run `make vendor`")
    for a in record["assets"]:
        for f in a["files"]:
            path = vendor_dir / f["path"]
            if not path.exists():
                problems.append(f"{f['path']} is missing")
            elif _sha256(path) != f["sha256"]:
                problems.append(f"{f['path']} differs from {a['package']}@{a['version']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.web.vendor", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the vendored files; no network")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    record = refresh()
    for a in record["assets"]:  # type: ignore[attr-defined]
        print(f"{a['package']}@{a['version']} ({a['license']}): {len(a['files'])} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
