"""The TR-069 tasks every device manager posts, written once as GenieACS names them
(``reboot``, ``factoryReset``, ``setParameterValues``, ``getParameterValues``,
``refreshObject``): a manager supplies ``_task``, which posts one and says what came of
it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dropline.network.devices import tr069
from dropline.network.devices.base import ParameterValue, TaskResult


class NamedTasks:
    def _task(self, device_id: str, task: dict[str, Any]) -> TaskResult:
        raise NotImplementedError

    def reboot(self, device_id: str) -> TaskResult:
        return self._task(device_id, {"name": "reboot"})

    def factory_reset(self, device_id: str) -> TaskResult:
        return self._task(device_id, {"name": "factoryReset"})

    def set_parameter_values(
        self, device_id: str, values: Sequence[tuple[str, ParameterValue]]
    ) -> TaskResult:
        pairs = [[path, value, tr069.xsd_type(value)] for path, value in values]
        return self._task(device_id, {"name": "setParameterValues", "parameterValues": pairs})

    def get_parameter_values(self, device_id: str, names: Sequence[str]) -> TaskResult:
        return self._task(device_id, {"name": "getParameterValues", "parameterNames": list(names)})

    def refresh_object(self, device_id: str, name: str) -> TaskResult:
        return self._task(device_id, {"name": "refreshObject", "objectName": name})
