"""The dashboard at /_xmock/ui: HTML pages over the same Simulator operations the control API calls."""
