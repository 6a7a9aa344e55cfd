"""django-import-export resources for certifications (owned by the import/export work)."""

from import_export import resources

from .models import Certification


class CertificationResource(resources.ModelResource):
    class Meta:
        model = Certification
        fields = ("type", "number", "issuer", "issued_on", "valid_until", "unit")
