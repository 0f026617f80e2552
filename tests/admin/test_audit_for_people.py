"""The audit log as people read it (issue 19 item 6): labels in the reader's language, values
as words, no internal fields or secrets, no empty entries, filters by person, object, action
and date."""

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from shop.audit import services as audit
from shop.audit.models import AuditEntry
from shop.extensions import db as _db
from tests.factories import CategoryFactory, DeliveryMethodFactory, ProductFactory, UserFactory


def entry(action="update", object_type="DeliveryMethod", before=None, after=None, **kwargs):
    """An entry written as an older version would have (straight into the table)."""
    row = AuditEntry(
        action=action,
        object_type=object_type,
        object_id=kwargs.pop("object_id", "1"),
        before=None if before is None else json.dumps(before, sort_keys=True),
        after=None if after is None else json.dumps(after, sort_keys=True),
        **kwargs,
    )
    _db.session.add(row)
    _db.session.commit()
    return row


def changes_cells(body: str) -> list[str]:
    cells = re.findall(r'<td class="col-changes">(.*?)</td>', body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def listed_ids(body: str) -> set[str]:
    return set(re.findall(r"/admin/audit/details/\?id=(\d+)", body.replace("&amp;", "&")))


def test_saving_without_a_change_writes_no_entry(client, db, as_role, token):
    as_role("admin")
    method = DeliveryMethodFactory(code="pickup", name_ru="Самовывоз", price=0, free_from=None)
    form = {"csrf_token": token(), "code": "pickup", "name_ru": "Самовывоз", "price": "0"}
    client.post(
        f"/admin/delivery/edit/?id={method.id}", data={**form, "active": "y", "needs_address": "y"}
    )
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_product_entry_keeps_no_search_columns(db):
    product = ProductFactory(name_ru="Кружка")
    product.search_text = "кружк"
    data = audit.snapshot(product)
    assert data["name_ru"] == "Кружка"
    assert not {"search_text", "search_vector", "updated_at", "min_price", "in_stock"} & set(data)


def test_an_update_of_internal_fields_only_is_not_recorded(db):
    assert (
        audit.record(
            "update", "Product", 1, before={"search_vector": "a"}, after={"search_vector": "b"}
        )
        is None
    )
    assert audit.record("update", "Product", 1, before={}, after={}) is None
    assert audit.record("update", "Product", 1, before={"brand": "A"}, after={"brand": "B"})


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_changes_read_as_labels_and_words(client, db, as_role, tr, lang):
    entry(before={"price": "0.00", "active": True}, after={"price": "99.00", "active": False})
    as_role("admin", locale=lang)
    body = client.get("/admin/audit/").get_data(as_text=True)
    [cell] = changes_cells(body)
    money = {"ru": ("0,00 ₽", "99,00 ₽"), "en": ("₽0.00", "₽99.00")}[lang]
    assert f"{tr(lang, 'Price')}: {money[0]} → {money[1]}" in cell.replace("\xa0", " ")
    assert f"{tr(lang, 'Active')}: {tr(lang, 'Yes')} → {tr(lang, 'No')}" in cell
    assert "audit-json" not in body and "{}" not in cell


def test_status_roles_category_and_variants_are_named(client, db, as_role, tr):
    category = CategoryFactory(name_ru="Посуда", name_en="Tableware")
    entry(object_type="Order", before={"status": "new"}, after={"status": "cancelled", "note": ""})
    entry(
        object_type="User",
        action="roles",
        before={"roles": ["customer"]},
        after={"roles": ["customer", "warehouse"]},
    )
    entry(object_type="Product", before={"category_id": None}, after={"category_id": category.id})
    entry(
        object_type="Product",
        before={"variants": [{"id": 5, "sku": "MUG-1", "price": "100.00", "stock": 3}]},
        after={"variants": [{"id": 5, "sku": "MUG-1", "price": "120.00", "stock": 3}]},
    )
    as_role("admin", locale="en")
    text = " | ".join(changes_cells(client.get("/admin/audit/").get_data(as_text=True)))
    assert "Status: New → Cancelled" in text
    assert "Roles: Customer → Customer, Warehouse" in text
    assert "Category: — → Tableware" in text
    assert "Variant MUG-1: Price: ₽100.00 → ₽120.00" in text
    assert "Stock" not in text  # the variant's stock did not change
    assert "Note" not in text  # empty on both sides


def test_internal_fields_and_secrets_are_never_shown(client, db, as_role):
    entry(
        action="create",
        object_type="User",
        after={
            "email": "new@example.com",
            "password": "$argon2id$secret-hash",
            "tf_totp_secret": "TOTPSECRET",
            "fs_uniquifier": "uniq-123",
            "search_vector": "'кружк':1",
            "id": 42,
        },
    )
    as_role("admin", locale="en")
    body = client.get("/admin/audit/").get_data(as_text=True)
    [cell] = changes_cells(body)
    assert cell == "Email: new@example.com"
    for secret in ("argon2id", "TOTPSECRET", "uniq-123", "кружк", "search_vector"):
        assert secret not in body


def test_long_text_is_shortened_to_one_line(client, db, as_role):
    entry(
        object_type="Product",
        before={"description_ru": "<p>коротко</p>"},
        after={"description_ru": "<p>" + "очень длинно " * 40 + "</p>"},
    )
    as_role("admin")
    [cell] = changes_cells(client.get("/admin/audit/").get_data(as_text=True))
    assert "<p>" not in cell and "коротко →" in cell and cell.endswith("…")
    assert len(cell) < 300


def test_old_empty_entries_are_not_listed(client, db, as_role):
    empty = entry(before={}, after={})
    internal = entry(
        object_type="Product",
        before={"search_vector": "a", "updated_at": "x"},
        after={"search_vector": "b", "updated_at": "y"},
    )
    shown = entry(before={"price": "1.00"}, after={"price": "2.00"})
    export = entry(action="export", object_type="Product")
    as_role("admin")
    ids = listed_ids(client.get("/admin/audit/").get_data(as_text=True))
    assert {str(shown.id), str(export.id)} <= ids
    assert not {str(empty.id), str(internal.id)} & ids


def test_filters_by_person_object_action_and_dates(client, db, as_role):
    anna = UserFactory(email="anna@example.com")
    rows = {
        "anna_price": entry(
            actor_id=anna.id,
            actor_email="anna@example.com",
            before={"price": "1.00"},
            after={"price": "2.00"},
            created_at=datetime(2026, 3, 10, 12, 0),
        ),
        "boris_order": entry(
            actor_email="boris@example.com",
            action="status",
            object_type="Order",
            after={"status": "paid"},
            created_at=datetime(2026, 3, 12, 12, 0),
        ),
        # 22:30 UTC on 10 March is 01:30 on 11 March in Moscow
        "late": entry(
            actor_email="boris@example.com",
            action="export",
            object_type="Order",
            after={"rows": 3},
            created_at=datetime(2026, 3, 10, 22, 30),
        ),
    }
    as_role("admin", locale="ru")

    def listed(query):
        ids = listed_ids(client.get(f"/admin/audit/?{query}").get_data(as_text=True))
        return {name for name, row in rows.items() if str(row.id) in ids}

    # filters in the order of AuditLogView.column_filters: who, object, action, from, to
    assert listed("flt0_0=anna@example.com") == {"anna_price"}
    assert listed("flt0_1=Order") == {"boris_order", "late"}
    assert listed("flt0_2=export") == {"late"}
    assert listed("flt0_3=2026-03-11") == {"boris_order", "late"}
    assert listed("flt0_4=2026-03-10") == {"anna_price"}
    assert listed("flt0_3=2026-03-11&flt1_4=2026-03-11") == {"late"}
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "anna@example.com" in page and "boris@example.com" in page


def test_a_bad_date_in_a_filter_is_not_a_500(client, db, as_role):
    entry(before={"price": "1.00"}, after={"price": "2.00"})
    as_role("admin")
    assert client.get("/admin/audit/?flt0_3=not-a-date").status_code == 200


def test_the_details_page_reads_the_same_way(client, db, as_role):
    row = entry(before={"free_from": None}, after={"free_from": "5000.00"})
    as_role("admin", locale="en")
    body = client.get(f"/admin/audit/details/?id={row.id}").get_data(as_text=True)
    assert "Free from: — → ₽5,000.00" in " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_an_old_entry_with_only_hidden_changes_says_so(client, db, as_role):
    entry(
        object_type="Product",
        before={"variants": [{"id": 1, "sku": "A", "updated_at": "2026-01-01"}]},
        after={"variants": [{"id": 1, "sku": "A", "updated_at": "2026-01-02"}]},
    )
    as_role("admin", locale="en")
    cells = changes_cells(client.get("/admin/audit/").get_data(as_text=True))
    assert cells == ["Nothing a person reads changed."]


def test_refunds_return_steps_and_published_documents_read_as_words(client, db, as_role):
    """Entries written by refunds by line, return steps and legal documents (issue 17) say
    what happened, not "nothing a person reads changed"."""
    import shop.returns.services  # noqa: F401 - registers the return statuses' labels

    as_role("admin")
    entry("refund", "Order", after={"refund": 3, "amount": "990.00", "reason": "брак",
                                    "lines": {"7": 1}})
    entry("status", "ReturnRequest", before={"status": "requested"},
          after={"status": "approved", "note": None})
    entry("publish", "LegalVersion", after={"document": "privacy", "number": 2})
    body = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    cells = changes_cells(body)
    assert any("Refunded amount" in c and "990.00" in c and "Reason" in c for c in cells), cells
    assert any("Status" in c and "Requested → Approved" in c for c in cells), cells
    assert any("Document" in c and "privacy" in c and "Version" in c for c in cells), cells
    assert "Return" in body and "Legal document" in body and "Published" in body
