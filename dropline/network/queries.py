from __future__ import annotations

from django.db.models import QuerySet

from dropline.customers.models import CustomerAccount
from dropline.network.models import Equipment, EquipmentStatus


def equipment_for(*, account: CustomerAccount) -> QuerySet[Equipment]:
    """Devices at or on their way to the account's premises, in one query."""
    return (
        Equipment.objects.filter(
            account=account, status__in=[EquipmentStatus.ACTIVE, EquipmentStatus.SHIPPED]
        )
        .select_related("model")
        .order_by("model__kind", "id")
    )
