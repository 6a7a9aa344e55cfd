"""django-import-export resources for IKM units (owned by the import/export work)."""

from import_export import resources

from .models import IKMUnit


class IKMUnitResource(resources.ModelResource):
    class Meta:
        model = IKMUnit
        fields = ("nib", "name", "owner_name", "desa", "commodity_group")
