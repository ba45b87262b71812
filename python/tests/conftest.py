import os
import sys

from hypothesis import HealthCheck, settings

# The source tree's runlen/ has no compiled module: the tests must import the installed
# package, never that folder (it is on sys.path when pytest runs from python/).
_source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _source]

# Modest example counts keep CI short; HYPOTHESIS_PROFILE=thorough for a long run by hand.
settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

