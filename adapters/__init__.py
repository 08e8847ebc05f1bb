"""Provider adapters: the interface a provider under test implements, and the bundled providers."""

from xmock.adapters.base import (
    Capability,
    ConnectStart,
    DataPlace,
    LinkState,
    Outcome,
    ProviderAdapter,
    Result,
    TenantApp,
    load_adapter,
)

__all__ = [
    "Capability",
    "ConnectStart",
    "DataPlace",
    "LinkState",
    "Outcome",
    "ProviderAdapter",
    "Result",
    "TenantApp",
    "load_adapter",
]
