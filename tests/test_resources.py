"""The bundled folders are found, and finding nothing is an error, not a silent pass."""

from __future__ import annotations

import pytest

from vetgraph.errors import InputError
from vetgraph.graph import resources


def test_folders_and_files_are_found():
    assert resources.ontology_files()[0].name == "vet.ttl"
    assert len(resources.data_files()) >= 10
    assert set(resources.shape_files()) == {"ontology", "data"}


def test_an_empty_folder_is_an_error(tmp_path, monkeypatch):
    for name in resources.FOLDERS:
        (tmp_path / name).mkdir()
    (tmp_path / "queries" / "checks").mkdir()
    monkeypatch.setattr(resources, "root", lambda: tmp_path)
    with pytest.raises(InputError, match="no usable data files"):
        resources.data_files()
    with pytest.raises(InputError, match="no usable checks queries"):
        resources.query_files("checks")
