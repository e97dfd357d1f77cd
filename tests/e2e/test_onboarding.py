"""A new customer, in a real browser: sign up, confirm the e-mail, register the company in three
steps, invite a driver; the driver joins through the invitation link."""

import re

import pytest
from django.core import mail

from companies.models import Company, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, pattern: str) -> str:
    return re.search(pattern, message.body).group(0)


def test_it_walks_sign_up_confirmation_registration_and_invitation(page, live_server, _browser):
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "founder@kurer.example")
    page.fill("input[name=password1]", "Kurer-Van-2026")
    page.fill("input[name=password2]", "Kurer-Van-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/confirm-email/**")

    confirm = link_in(mail.outbox[-1], r"/accounts/confirm-email/[^\s/]+/")
    page.goto(confirm)
    page.click("main button[type=submit]")

    page.wait_for_url("**/company/register/")
    page.fill("#id_first_name", "Freja")
    page.fill("#id_last_name", "Holm")
    page.fill("#id_birth_date", "1982-09-30")
    page.fill("#id_phone", "+45 20 30 40 50")
    page.click("main button[type=submit]")

    page.wait_for_url("**/company/register/company/")
    page.fill("#id_name", "Holm Kurer ApS")
    page.fill("#id_street", "Søndergade 1")
    page.fill("#id_postal_code", "8000")
    page.fill("#id_city", "Aarhus")
    page.select_option("#id_country", "DK")
    page.fill("#id_phone", "+45 86 12 34 56")
    page.check("#id_accept_terms")
    page.click("main button[type=submit]")

    page.wait_for_url("**/company/register/support-password/")
    page.fill("#id_support_password", "help-me-123")
    page.fill("#id_support_password2", "help-me-123")
    page.click("main button[type=submit]")

    page.wait_for_url("**/company/register/done/")
    pro_id = page.get_by_test_id("pro-id").inner_text().strip()
    assert re.fullmatch(r"PRO-[A-Z]{6}", pro_id)
    assert Company.objects.get(pro_id=pro_id).name == "Holm Kurer ApS"
    assert page.get_by_text("A dealer still has to verify your account.").is_visible()

    page.goto("/company/members/invite/")
    page.fill("#id_email", "driver@kurer.example")
    page.fill("#id_first_name", "Ole")
    page.fill("#id_last_name", "Vang")
    page.select_option("#id_role", "driver")
    page.click("main button[type=submit]")
    page.wait_for_url("**/company/members/")
    assert page.get_by_text("Invitation sent").first.is_visible()

    invitation = link_in(mail.outbox[-1], r"/company/invitations/[\w-]+/")
    context = _browser.new_context(base_url=live_server.url)
    driver_page = context.new_page()
    driver_page.goto(invitation)
    driver_page.fill("#id_password1", "Ole-Drives-44")
    driver_page.fill("#id_password2", "Ole-Drives-44")
    driver_page.check("#id_accept_terms")
    driver_page.click("main button[type=submit]")
    driver_page.wait_for_url("**/dashboard/")
    context.close()
    membership = Membership.objects.get(user__email="driver@kurer.example")
    assert membership.role == "driver" and membership.invitation_status == "accepted"
