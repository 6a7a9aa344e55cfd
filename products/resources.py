"""django-import-export resources for products (owned by the import/export work)."""

from import_export import resources

from .models import Product


class ProductResource(resources.ModelResource):
    class Meta:
        model = Product
        fields = ("name", "unit", "category", "price", "price_unit")
