"""A syrupy extension that stores a snapshot as the exact JSON text dashgen writes, in a real `.json`
file that reviewers open and diff like any other (tests/__snapshots__/<test module>/<test>.json)."""

from __future__ import annotations

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class JSONTextSnapshot(SingleFileSnapshotExtension):
    file_extension = "json"  # syrupy >= 4.7
    _file_extension = "json"  # older syrupy
    _write_mode = WriteMode.TEXT


class YAMLTextSnapshot(SingleFileSnapshotExtension):
    file_extension = "yaml"
    _file_extension = "yaml"
    _write_mode = WriteMode.TEXT
