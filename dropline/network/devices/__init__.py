"""The configured device management (``DROPLINE_DEVICE_MANAGER``): ``simulator`` or
``genieacs``. See ``base.py`` for what both do."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from dropline.network.devices.base import DeviceManager

MANAGERS = {
    "simulator": "dropline.network.devices.simulator.SimulatorDeviceManager",
    "genieacs": "dropline.network.devices.genieacs.GenieAcsDeviceManager",
}


def get_device_manager(name: str | None = None) -> DeviceManager:
    """The device management called ``name`` (the configured one by default)."""
    chosen = name or settings.DROPLINE_DEVICE_MANAGER
    manager: DeviceManager = import_string(MANAGERS[chosen])()
    return manager
