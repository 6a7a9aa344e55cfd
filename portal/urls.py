"""Owner accounts and the owner portal: units, products, certification requests, documents."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import (
    accounts,
    consignment_views,
    event_views,
    privacy_views,
    programme_views,
    request_views,
    views,
)

app_name = "portal"

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
    path("akun/keluar-semua/", accounts.logout_everywhere, name="logout_everywhere"),
    path(
        "akun/sandi/ubah/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/portal_password_change_form.html",
            form_class=accounts.OwnerPasswordChangeForm,
            success_url=reverse_lazy("portal:password_change_done"),
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
        accounts.PasswordResetView.as_view(  # rate-limited (issue 13)
            template_name="registration/portal_password_reset_form.html",
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
            success_url=reverse_lazy("portal:password_reset_done"),
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
            form_class=accounts.OwnerSetPasswordForm,
            success_url=reverse_lazy("portal:password_reset_complete"),
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
    path("portal/", views.dashboard, name="dashboard"),
    path("portal/wilayah/<str:code>/", views.region_children, name="region_children"),
    # "Data saya": personal data, its download, correction and deletion requests (UU PDP)
    path("portal/data-saya/", privacy_views.my_data, name="my_data"),
    path(
        "portal/data-saya/unduh.<str:fmt>",
        privacy_views.my_data_download,
        name="my_data_download",
    ),
    path(
        "portal/data-saya/perbaikan/",
        privacy_views.correction_request,
        name="my_data_correction",
    ),
    path(
        "portal/data-saya/penghapusan/",
        privacy_views.deletion_request,
        name="my_data_deletion",
    ),
    path("portal/unit/baru/", views.unit_register, name="unit_register"),
    path("portal/unit/klaim/", views.unit_claim, name="unit_claim"),
    path("portal/unit/<int:pk>/ubah/", views.unit_edit, name="unit_edit"),
    path(
        "portal/unit/<int:unit_pk>/produk/baru/",
        views.product_create,
        name="product_create",
    ),
    path("portal/produk/<int:pk>/ubah/", views.product_edit, name="product_edit"),
    path("portal/produk/<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("portal/foto/<int:pk>/hapus/", views.photo_delete, name="photo_delete"),
    path("portal/produk/<int:pk>/tautan/", views.link_add, name="link_add"),
    path("portal/tautan/<int:pk>/hapus/", views.link_delete, name="link_delete"),
    # Requests
    path("portal/permohonan/baru/", request_views.request_choose, name="request_choose"),
    path(
        "portal/permohonan/baru/<str:kind>/",
        request_views.request_create,
        name="request_create",
    ),
    path("portal/permohonan/<int:pk>/", request_views.request_detail, name="request_detail"),
    path("portal/permohonan/<int:pk>/ubah/", request_views.request_edit, name="request_edit"),
    path(
        "portal/permohonan/<int:pk>/ajukan/",
        request_views.request_submit,
        name="request_submit",
    ),
    path(
        "portal/permohonan/<int:pk>/batalkan/",
        request_views.request_withdraw,
        name="request_withdraw",
    ),
    path(
        "portal/dokumen/<int:pk>/hapus/",
        request_views.document_delete,
        name="document_delete",
    ),
    # issue 16: curation rounds and buyers' requests (business matching)
    path("portal/kurasi/", programme_views.curation_rounds, name="curation_rounds"),
    path("portal/kurasi/<int:pk>/ajukan/", programme_views.curation_submit, name="curation_submit"),
    path(
        "portal/kurasi/pengajuan/<int:pk>/tarik/",
        programme_views.curation_withdraw,
        name="curation_withdraw",
    ),
    path("portal/temu-bisnis/", programme_views.matching_list, name="matching_list"),
    path(
        "portal/temu-bisnis/<int:pk>/jawab/",
        programme_views.matching_answer,
        name="matching_answer",
    ),
    # Events (issue 16): registrations with quota and waitlist, attendance certificates
    path("portal/acara/", event_views.event_registrations, name="event_registrations"),
    path("portal/acara/<int:pk>/daftar/", event_views.event_register, name="event_register"),
    path(
        "portal/acara/pendaftaran/<int:pk>/batalkan/",
        event_views.registration_cancel,
        name="event_registration_cancel",
    ),
    path(
        "portal/acara/pendaftaran/<int:pk>/sertifikat.pdf",
        event_views.attendance_certificate,
        name="event_attendance_certificate",
    ),
    # Consignment at the Griya IKM showroom (issue 16): stock and settlements, read-only
    path("portal/titipan/", consignment_views.consignment, name="consignment"),
    path(
        "portal/titipan/setoran/<int:pk>/kuitansi.pdf",
        consignment_views.settlement_receipt,
        name="consignment_receipt",
    ),
    # Owners and officials: permission-checked, sent as an attachment.
    path("dokumen/<int:pk>/unduh/", request_views.document_download, name="document_download"),
]

urlpatterns = account_patterns + portal_patterns
