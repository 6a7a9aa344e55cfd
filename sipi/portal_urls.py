# Owner accounts and the owner portal (owner-portal work).
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from certifications import portal_views as request_views
from ikm import accounts
from ikm import portal_views as views

account_patterns = [
    path("akun/daftar/", accounts.signup, name="account_signup"),
    path("akun/daftar/terkirim/", accounts.signup_sent, name="account_signup_sent"),
    path(
        "akun/konfirmasi/kirim-ulang/",
        accounts.resend_confirmation,
        name="account_resend_confirmation",
    ),
    path("akun/konfirmasi/<uidb64>/<token>/", accounts.confirm, name="account_confirm"),
    path("akun/masuk/", accounts.LoginView.as_view(), name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path(
        "akun/sandi/ubah/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/portal_password_change_form.html"
        ),
        name="password_change",
    ),
    path(
        "akun/sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/portal_password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "akun/sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/portal_password_reset_form.html",
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "akun/sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/portal_password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "akun/sandi/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/portal_password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "akun/sandi/reset/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/portal_password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

portal_patterns = [
    path("portal/", views.dashboard, name="portal_dashboard"),
    path("portal/wilayah/<str:code>/", views.region_children, name="portal_region_children"),
    path("portal/unit/baru/", views.unit_register, name="portal_unit_register"),
    path("portal/unit/klaim/", views.unit_claim, name="portal_unit_claim"),
    path("portal/unit/<int:pk>/ubah/", views.unit_edit, name="portal_unit_edit"),
    path(
        "portal/unit/<int:unit_pk>/produk/baru/",
        views.product_create,
        name="portal_product_create",
    ),
    path("portal/produk/<int:pk>/ubah/", views.product_edit, name="portal_product_edit"),
    path("portal/produk/<int:pk>/foto/", views.photo_add, name="portal_photo_add"),
    path("portal/foto/<int:pk>/hapus/", views.photo_delete, name="portal_photo_delete"),
    path("portal/produk/<int:pk>/tautan/", views.link_add, name="portal_link_add"),
    path("portal/tautan/<int:pk>/hapus/", views.link_delete, name="portal_link_delete"),
    # Requests
    path("portal/permohonan/baru/", request_views.request_choose, name="owner_request_choose"),
    path(
        "portal/permohonan/baru/<str:kind>/",
        request_views.request_create,
        name="owner_request_create",
    ),
    path("portal/permohonan/<int:pk>/", request_views.request_detail, name="owner_request_detail"),
    path("portal/permohonan/<int:pk>/ubah/", request_views.request_edit, name="owner_request_edit"),
    path(
        "portal/permohonan/<int:pk>/ajukan/",
        request_views.request_submit,
        name="owner_request_submit",
    ),
    path(
        "portal/permohonan/<int:pk>/batalkan/",
        request_views.request_withdraw,
        name="owner_request_withdraw",
    ),
    path(
        "portal/dokumen/<int:pk>/hapus/",
        request_views.document_delete,
        name="owner_document_delete",
    ),
    # Owners and officials: permission-checked, sent as an attachment.
    path("dokumen/<int:pk>/unduh/", request_views.document_download, name="document_download"),
]

urlpatterns = account_patterns + portal_patterns
