import pytest

from apps.media.tests.metadata_world import world_build


@pytest.fixture
def world(tmp_path, db) -> dict:
    """A matched movie in a collection with cast and crew, a show with a season and an episode, and their images."""
    return world_build(tmp_path)
