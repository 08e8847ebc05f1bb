"""The certification scenarios as pytest tests, for a provider's own CI:

pytest --pyargs xmock.scenarios.test_certification --xmock-adapter reference
"""

import pytest

from xmock.scenarios.base import Verdict
from xmock.scenarios.suite import X_BYO_2026


@pytest.mark.parametrize("scenario", X_BYO_2026, ids=[s.id for s in X_BYO_2026])
def test_x_byo_2026(scenario, xmock_certification):
    result = xmock_certification.run(scenario)
    if result.verdict == Verdict.NOT_APPLICABLE:
        pytest.skip(f"not applicable: {result.reason}")
    evidence = "\n".join(f"  [{e.kind}] {e.summary}" for e in result.evidence)
    assert result.verdict == Verdict.PASS, f"{scenario.id}: {result.reason}\n{evidence}"
