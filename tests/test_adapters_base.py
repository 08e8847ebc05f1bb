import pytest

from xmock.adapters import Capability, TenantApp, load_adapter
from xmock.adapters.base import adapter_class
from xmock.adapters.direct import TweepyAdapter


def test_bundled_names_and_module_paths_resolve():
    assert adapter_class("tweepy") is TweepyAdapter
    assert adapter_class("xmock.adapters.direct:TweepyAdapter") is TweepyAdapter
    assert Capability.SCHEDULING in adapter_class("reference").capabilities


def test_unknown_adapters_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown adapter"):
        adapter_class("nope")
    with pytest.raises(ValueError, match="not a ProviderAdapter"):
        adapter_class("xmock.simulator.core:Simulator")


def test_secrets_stay_out_of_reprs():
    assert "s3cret" not in repr(TenantApp("key", "s3cret", "cid", "client-s3cret"))


def test_load_adapter_passes_options(base, sim):
    adapter = load_adapter("tweepy", x_base_url=base)
    try:
        assert adapter.x_base_url == base
    finally:
        adapter.close()
