"""Web workers tune the garbage collector once the app is loaded (tracker.garbage_collection)."""

import gc
import runpy
from pathlib import Path

import pytest

from tracker.garbage_collection import YOUNG_THRESHOLD, tune_for_requests

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_tuning_freezes_what_is_loaded_and_raises_the_young_threshold(restored_collector):
    gc.unfreeze()
    tune_for_requests()
    assert gc.get_freeze_count() > 10_000  # Django, the app and the test tools
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)


def test_tuning_again_lets_go_of_what_was_frozen_and_has_since_been_dropped(restored_collector):
    gc.unfreeze()
    tune_for_requests()
    dropped = [[] for _ in range(5_000)]
    for item in dropped:
        item.append(item)  # a cycle: only the collector can free it
    tune_for_requests()
    frozen_with_them = gc.get_freeze_count()
    del dropped
    tune_for_requests()
    assert gc.get_freeze_count() <= frozen_with_them - 5_000


def test_each_gunicorn_worker_tunes_the_collector_once_it_has_loaded_the_app(restored_collector):
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    config["post_worker_init"](worker=None)
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    assert gc.get_freeze_count() > 10_000
