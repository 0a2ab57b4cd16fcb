"""System checks of containment: refused link targets and library folders that overlap the data folder."""

from __future__ import annotations

import pytest

from apps.libraries import checks, services
from apps.libraries.models import LibraryFolder
from revenge import config


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "srv" / "data"
    settings.TRANSCODE_DIR = tmp_path / "scratch" / "transcode"
    settings.DATA_DIR.mkdir(parents=True)
    return settings.DATA_DIR


def test_link_targets_may_not_be_the_data_or_transcode_folder_or_the_system(tmp_path, settings, data_dir):
    (tmp_path / "debrid").mkdir()
    settings.LINK_TARGETS = [
        str(data_dir), str(data_dir / "sub"), str(tmp_path / "srv"), str(tmp_path / "scratch" / "transcode"),
        "/", "/etc", "/proc/self", "/var", "/usr/share", str(tmp_path / "debrid"),
    ]  # fmt: skip
    errors = checks.link_targets_check()
    assert {e.id for e in errors} == {"revenge.E142"}
    refused = [target for target in settings.LINK_TARGETS if any(f"{target} " in e.msg for e in errors)]
    assert refused == settings.LINK_TARGETS[:-1]
    assert "data folder" in errors[0].msg


def test_a_good_link_target_passes(tmp_path, settings, data_dir):
    (tmp_path / "debrid").mkdir()
    settings.LINK_TARGETS = [str(tmp_path / "debrid")]
    assert checks.link_targets_check() == []


def test_a_relative_link_target_is_a_configuration_error():
    env = config.Env(environ={"REVENGE_LINK_TARGETS": "/mnt/debrid, downloads ,/srv/a/../b"})
    assert config.folders(env, "REVENGE_LINK_TARGETS") == ["/mnt/debrid", "/srv/b"]
    assert [p.id for p in env.problems] == ["revenge.E141"]
    assert "'downloads' is not an absolute folder path" in env.problems[0].message


@pytest.mark.django_db
def test_an_existing_library_inside_the_data_folder_is_reported_at_start(tmp_path, data_dir):
    (tmp_path / "movies").mkdir()
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    assert checks.library_folders_check() == []
    # Saved before the rule existed (the services refuse it now).
    LibraryFolder.objects.create(library=library, path=str(data_dir))
    (error,) = checks.library_folders_check()
    assert error.id == "revenge.E143" and "'Movies'" in error.msg and "data folder" in error.msg


@pytest.mark.django_db
def test_a_folder_saved_through_a_form_is_checked_too(tmp_path, data_dir):
    from django.core.exceptions import ValidationError

    (tmp_path / "movies").mkdir()
    library = services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    with pytest.raises(ValidationError) as refused:
        LibraryFolder(library=library, path=str(data_dir)).full_clean()  # what the admin's inline form runs
    assert "is the server's data folder" in str(refused.value)
    LibraryFolder(library=library, path=str(tmp_path / "movies" / "more")).full_clean(validate_unique=False)
