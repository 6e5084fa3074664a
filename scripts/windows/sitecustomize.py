"""Test harness only (Wine), never shipped.

CPython 3.13's platform._wmi_query aborts the whole process under Wine 8 (propsys.VariantToString is
not implemented) and pytest-xdist calls platform.platform(): raising OSError makes platform fall back
to its registry/ver answers, as it does on a Windows without WMI.
"""

import platform


def _no_wmi(*_args, **_kwargs):
    raise OSError("WMI is not available under Wine")


platform._wmi_query = _no_wmi
