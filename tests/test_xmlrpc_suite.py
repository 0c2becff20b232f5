"""The XML-RPC suite, end to end: the real server on a free port, reached only
through ``xmlrpc.client``, as an outside system would.

Customers, products and services created over XML-RPC, an order with its lines in one
call, reads and searches; refused calls come back as a Fault that says what was wrong
and change nothing (checked afterwards over XML-RPC); companies do not see each
other's orders; a batch of 1,000 orders arrives whole, or not at all.
"""

import re
import uuid
import xmlrpc.client

import pytest
from conftest import Client

# Faults of refused calls carry the error's message alone: code 2 for a UserError
# (ValidationError, MissingError...), 4 for an AccessError; code 1 is a traceback.
USER_ERROR = 2
ACCESS_ERROR = 4
NUMBER = re.compile(r"^NEW/\d{4}/(\d{5})$")
RETURNING_NUMBER = re.compile(r"^RET/\d{4}/(\d{5})$")


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def catalog(admin):
    """A product (goods) and two services, created over XML-RPC."""
    code = uuid.uuid4().hex[:6].upper()
    return {
        "chair": admin(
            "product.product",
            "create",
            {
                "name": unique("Suite chair"),
                "default_code": f"SUITE-CHAIR-{code}",
                "type": "consu",
                "list_price": 20.0,
            },
        ),
        "training": admin(
            "product.product",
            "create",
            {
                "name": unique("Suite training day"),
                "type": "service",
                "service_kind": "training",
                "list_price": 150.0,
            },
        ),
        "support": admin(
            "product.product",
            "create",
            {"name": unique("Suite hotline"), "type": "service", "list_price": 80.0},
        ),
    }


@pytest.fixture
def customer_id(admin):
    return admin("res.partner", "create", {"name": unique("Suite customer")})


def counts(admin, partner_id=None):
    """What a refused call must leave as it was, counted over XML-RPC by admin."""
    scope = [("partner_id", "=", partner_id)] if partner_id else []
    line_scope = [("order_id.partner_id", "=", partner_id)] if partner_id else []
    return {
        "orders": admin("crm.order", "search_count", scope),
        "lines": admin("crm.order.line", "search_count", line_scope),
        "history": admin(
            "crm.order.status.history",
            "search_count",
            [("order_id.partner_id", "=", partner_id)] if partner_id else [],
        ),
    }


def refused(call, *args, code=USER_ERROR, **kwargs):
    """Run a call that must be refused; return the Fault's message."""
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*args, **kwargs)
    message = fault.value.faultString
    assert fault.value.faultCode == code, message
    assert "Traceback" not in message
    return message


# ------------------------------------------------------------
# Creating and reading
# ------------------------------------------------------------


def test_customers_products_and_services(admin, catalog):
    company_id = admin(
        "res.partner", "create", {"name": unique("Suite Corp"), "is_company": True}
    )
    contact_id = admin(
        "res.partner",
        "create",
        {"name": "Jane Buyer", "parent_id": company_id, "email": "jane@example.com"},
    )
    (contact,) = admin(
        "res.partner",
        "read",
        [contact_id],
        fields=["commercial_partner_id", "crm_order_count", "crm_loyalty"],
    )
    assert contact["commercial_partner_id"][0] == company_id
    assert contact["crm_order_count"] == 0
    assert contact["crm_loyalty"] is False

    products = admin(
        "product.product",
        "read",
        [catalog["chair"], catalog["training"], catalog["support"]],
        fields=["type", "service_kind", "lst_price", "sale_ok"],
    )
    assert [(p["type"], p["service_kind"], p["lst_price"]) for p in products] == [
        ("consu", False, 20.0),
        ("service", "training", 150.0),
        ("service", "other", 80.0),  # a service without a kind is "other"
    ]
    assert all(p["sale_ok"] for p in products)


def test_order_with_lines_in_one_call(salesperson, admin, catalog):
    company_id = admin(
        "res.partner", "create", {"name": unique("Suite Corp"), "is_company": True}
    )
    contact_id = admin(
        "res.partner", "create", {"name": "John Buyer", "parent_id": company_id}
    )
    order_id = salesperson(
        "crm.order",
        "create",
        {
            "partner_id": contact_id,
            "line_ids": [
                (0, 0, {"product_id": catalog["chair"], "quantity": 3, "discount": 10}),
                (
                    0,
                    0,
                    {
                        "product_id": catalog["training"],
                        "quantity": 2,
                        "price_unit": 120.0,
                    },
                ),
                (0, 0, {"product_id": catalog["support"]}),
            ],
        },
    )
    assert isinstance(order_id, int)
    (order,) = salesperson(
        "crm.order",
        "read",
        [order_id],
        fields=[
            "name",
            "partner_id",
            "commercial_partner_id",
            "user_id",
            "order_type_id",
            "status_id",
            "status_category",
            "line_count",
            "amount_undiscounted",
            "amount_discount",
            "amount_total",
            "date_confirmed",
            "rating",
        ],
    )
    assert NUMBER.match(order["name"]), order["name"]
    assert order["partner_id"][0] == contact_id
    assert order["commercial_partner_id"][0] == company_id
    assert order["user_id"][0] == salesperson.uid
    assert order["order_type_id"][1] == "New Customer"
    assert (order["status_id"][1], order["status_category"]) == ("Draft", "draft")
    assert order["line_count"] == 3
    # 3 x 20 - 10% = 54; 2 x 120 (price given) = 240; 1 x 80 (list price) = 80
    assert order["amount_undiscounted"] == 380.0
    assert order["amount_discount"] == 6.0
    assert order["amount_total"] == 374.0
    assert (order["date_confirmed"], order["rating"]) == (False, 0)

    lines = salesperson(
        "crm.order.line",
        "search_read",
        [("order_id", "=", order_id)],
        fields=[
            "product_id",
            "product_type",
            "service_kind",
            "quantity",
            "price_unit",
            "discount",
            "price_subtotal",
        ],
        order="id",
    )
    assert [
        (
            line["product_id"][0],
            line["product_type"],
            line["service_kind"],
            line["quantity"],
            line["price_unit"],
            line["discount"],
            line["price_subtotal"],
        )
        for line in lines
    ] == [
        (catalog["chair"], "consu", False, 3.0, 20.0, 10.0, 54.0),
        (catalog["training"], "service", "training", 2.0, 120.0, 0.0, 240.0),
        (catalog["support"], "service", "other", 1.0, 80.0, 0.0, 80.0),
    ]
    # the customer's figures follow
    (company,) = admin(
        "res.partner",
        "read",
        [company_id],
        fields=["crm_order_count", "crm_order_total"],
    )
    assert company["crm_order_count"] == 1
    assert company["crm_order_total"] == 374.0


def test_search_read_with_domains_order_and_limit(salesperson, catalog, customer_id):
    dates = [
        "2025-03-01 09:00:00",
        "2025-03-02 09:00:00",
        "2025-03-03 09:00:00",
        "2025-03-04 09:00:00",
    ]
    ids = salesperson(
        "crm.order",
        "create",
        [
            {
                "partner_id": customer_id,
                "date_order": date,
                "line_ids": [(0, 0, {"product_id": catalog["chair"], "quantity": n})],
            }
            for n, date in enumerate(dates, start=1)
        ],
    )
    assert len(ids) == 4
    mine = [("partner_id", "=", customer_id)]
    fields = ["date_order", "amount_total"]

    def summary(rows):
        return [(row["date_order"], row["amount_total"]) for row in rows]

    # order and limit
    rows = salesperson(
        "crm.order",
        "search_read",
        mine,
        fields=fields,
        order="amount_total desc",
        limit=2,
    )
    assert summary(rows) == [(dates[3], 80.0), (dates[2], 60.0)]
    # the default order: newest first
    rows = salesperson("crm.order", "search_read", mine, fields=fields)
    assert [row["id"] for row in rows] == ids[::-1]
    # offset
    rows = salesperson(
        "crm.order",
        "search_read",
        mine,
        fields=fields,
        order="date_order asc",
        offset=1,
        limit=2,
    )
    assert summary(rows) == [(dates[1], 40.0), (dates[2], 60.0)]
    # a date range
    rows = salesperson(
        "crm.order",
        "search_read",
        mine
        + [
            ("date_order", ">=", "2025-03-02 00:00:00"),
            ("date_order", "<", "2025-03-04 00:00:00"),
        ],
        fields=fields,
        order="date_order",
    )
    assert summary(rows) == [(dates[1], 40.0), (dates[2], 60.0)]
    # "or" and a related path
    rows = salesperson(
        "crm.order",
        "search_read",
        ["|", ("amount_total", "<", 30), ("amount_total", ">", 70)]
        + [("partner_id.name", "=", admin_name(salesperson, customer_id))],
        fields=fields,
        order="amount_total",
    )
    assert summary(rows) == [(dates[0], 20.0), (dates[3], 80.0)]
    # on the lines, through the order
    assert (
        salesperson(
            "crm.order.line",
            "search_count",
            [("order_id.partner_id", "=", customer_id), ("quantity", ">=", 3)],
        )
        == 2
    )
    # search alone, and the number searched by its prefix
    (first,) = salesperson("crm.order", "read", ids[:1], fields=["name"])
    assert salesperson("crm.order", "search", [("name", "=", first["name"])]) == ids[:1]
    assert (
        salesperson(
            "crm.order",
            "search_count",
            mine + [("status_id.category", "=", "draft")],
        )
        == 4
    )


def admin_name(client, partner_id):
    (partner,) = client("res.partner", "read", [partner_id], fields=["name"])
    return partner["name"]


# ------------------------------------------------------------
# Refusals: a Fault that says what was wrong, and nothing changed
# ------------------------------------------------------------

REFUSED_LINES = {
    "negative quantity": (
        {"quantity": -1},
        "The operation cannot be completed: "
        "The quantity of an order line must be greater than zero.",
    ),
    "zero quantity": (
        {"quantity": 0},
        "The quantity of an order line must be greater than zero.",
    ),
    "discount over 100": (
        {"discount": 100.5},
        "The operation cannot be completed: "
        "The discount of an order line must be between 0 and 100%.",
    ),
    "negative discount": (
        {"discount": -5},
        "The discount of an order line must be between 0 and 100%.",
    ),
    "negative price": (
        {"price_unit": -1},
        "The unit price of an order line cannot be negative.",
    ),
    "quantity not a number": (
        {"quantity": "abc"},
        "Wrong value for Quantity (quantity) of Customer Order Line: "
        "'abc' is not a number.",
    ),
    "discount not a number": (
        {"discount": [10]},
        "Wrong value for Discount (%) (discount) of Customer Order Line: "
        "[10] is not a number.",
    ),
    "product id as text": (
        {"product_id": "chair"},
        "Wrong value for Product (product_id) of Customer Order Line: "
        "'chair' is not a record id.",
    ),
}


@pytest.mark.parametrize("case", REFUSED_LINES)
def test_refused_line_creates_no_order(case, salesperson, admin, catalog, customer_id):
    line_values, expected = REFUSED_LINES[case]
    before = counts(admin)
    message = refused(
        salesperson,
        "crm.order",
        "create",
        {
            "partner_id": customer_id,
            "line_ids": [
                (0, 0, {"product_id": catalog["training"]}),  # a valid line first
                (0, 0, {"product_id": catalog["chair"], **line_values}),
            ],
        },
    )
    assert expected in message
    assert counts(admin) == before
    assert counts(admin, customer_id) == {"orders": 0, "lines": 0, "history": 0}


def test_unknown_product_is_refused(salesperson, admin, catalog, customer_id):
    (last,) = admin("product.product", "search", [], order="id desc", limit=1)
    unknown = last + 1000
    before = counts(admin)
    message = refused(
        salesperson,
        "crm.order",
        "create",
        {"partner_id": customer_id, "line_ids": [(0, 0, {"product_id": unknown})]},
    )
    assert "Record does not exist or has been deleted." in message
    assert f"product.product({unknown},)" in message
    assert counts(admin) == before


@pytest.mark.parametrize(
    "order_values, expected",
    [
        pytest.param(
            {},
            "a mandatory field is not set.",
            id="missing customer",
        ),
        pytest.param(
            {"partner_id": False},
            "Model: Customer Order (crm.order)\nField: Customer (partner_id)",
            id="empty customer",
        ),
        pytest.param(
            {"partner_id": "x"},
            "Wrong value for Customer (partner_id) of Customer Order: "
            "'x' is not a record id.",
            id="customer id as text",
        ),
        pytest.param(
            {"partner_id": "7"},
            "Wrong value for Customer (partner_id) of Customer Order: "
            "'7' is not a record id.",
            id="customer id as a numeric text",
        ),
        pytest.param(
            {"partner_id": 2**31 - 1},
            "Record does not exist or has been deleted.",
            id="unknown customer",
        ),
        pytest.param(
            {"date_order": "yesterday"},
            "Wrong value for Order Date (date_order) of Customer Order: 'yesterday' "
            "is not a date and time (YYYY-MM-DD HH:MM:SS).",
            id="date not a date",
        ),
    ],
)
def test_refused_order_values(order_values, expected, salesperson, admin, catalog):
    before = counts(admin)
    values = {"line_ids": [(0, 0, {"product_id": catalog["chair"]})], **order_values}
    if order_values.keys() == {"date_order"}:
        values["partner_id"] = admin("res.partner", "create", {"name": "Dated"})
    message = refused(salesperson, "crm.order", "create", values)
    assert expected in message
    assert counts(admin) == before


def test_refused_changes_leave_the_order_as_it_was(
    salesperson, admin, catalog, customer_id
):
    order_id = salesperson(
        "crm.order",
        "create",
        {
            "partner_id": customer_id,
            "line_ids": [(0, 0, {"product_id": catalog["chair"], "quantity": 2})],
        },
    )
    (line_id,) = salesperson("crm.order.line", "search", [("order_id", "=", order_id)])
    fields = ["amount_total", "line_ids", "partner_id", "write_date"]
    (before,) = admin("crm.order", "read", [order_id], fields=fields)
    attempts = [
        (
            "crm.order",
            [order_id],
            {"line_ids": [(1, line_id, {"discount": 101})]},
            "The discount of an order line must be between 0 and 100%.",
        ),
        (
            "crm.order",
            [order_id],
            {
                "line_ids": [
                    (1, line_id, {"quantity": 5}),  # valid, rolled back with the rest
                    (0, 0, {"product_id": catalog["support"], "quantity": -2}),
                ]
            },
            "The quantity of an order line must be greater than zero.",
        ),
        (
            "crm.order.line",
            [line_id],
            {"quantity": "two"},
            "Wrong value for Quantity (quantity) of Customer Order Line: "
            "'two' is not a number.",
        ),
        (
            "crm.order",
            [order_id],
            {"partner_id": "someone else"},
            "Wrong value for Customer (partner_id) of Customer Order: "
            "'someone else' is not a record id.",
        ),
        (
            "crm.order",
            [order_id],
            {"partner_id": False},
            "Field: Customer (partner_id)",
        ),
    ]
    for model, ids, values, expected in attempts:
        message = refused(salesperson, model, "write", ids, values)
        assert expected in message, (values, message)
        (after,) = admin("crm.order", "read", [order_id], fields=fields)
        assert after == before, values
    (line,) = admin(
        "crm.order.line", "read", [line_id], fields=["quantity", "discount"]
    )
    assert (line["quantity"], line["discount"]) == (2.0, 0.0)


# ------------------------------------------------------------
# Companies
# ------------------------------------------------------------


@pytest.fixture(scope="module")
def other_company(admin, odoo_server, catalog):
    """A second company, a user of that company only (who sees every order of their
    company), and one order in each company."""
    company_id = admin("res.company", "create", {"name": unique("Suite Company B")})
    login = f"company-b-{uuid.uuid4().hex[:8]}"
    admin(
        "res.users",
        "create",
        {
            "name": f"User {login}",
            "login": login,
            "password": "company-b-password-1",
            "company_id": company_id,
            "company_ids": [(6, 0, [company_id])],
            "groups_id": [
                (6, 0, [admin.ref("sales_team.group_sale_salesman_all_leads")])
            ],
        },
    )
    user = Client(odoo_server, login, "company-b-password-1")
    partner_id = admin("res.partner", "create", {"name": unique("Shared customer")})
    line = (0, 0, {"product_id": catalog["chair"], "quantity": 1})
    main_order = admin(
        "crm.order", "create", {"partner_id": partner_id, "line_ids": [line]}
    )
    other_order = user(
        "crm.order", "create", {"partner_id": partner_id, "line_ids": [line]}
    )
    return {
        "company_id": company_id,
        "user": user,
        "partner_id": partner_id,
        "main_order": main_order,
        "other_order": other_order,
    }


def test_orders_are_created_in_the_users_company(admin, other_company):
    main_company = admin("res.users", "read", [admin.uid], fields=["company_id"])[0]
    rows = admin(
        "crm.order",
        "read",
        [other_company["main_order"], other_company["other_order"]],
        fields=["company_id"],
    )
    assert [row["company_id"][0] for row in rows] == [
        main_company["company_id"][0],
        other_company["company_id"],
    ]


def test_user_of_another_company_cannot_read_the_order(admin, other_company):
    user, main_order = other_company["user"], other_company["main_order"]
    message = refused(
        user, "crm.order", "read", [main_order], fields=["name"], code=ACCESS_ERROR
    )
    assert "doesn't have 'read' access to:\n- Customer Order (crm.order)" in message
    assert "This seems to be a multi-company issue" in message
    # nor find it, nor its lines, nor its history
    assert user("crm.order", "search_count", [("id", "=", main_order)]) == 0
    found = user(
        "crm.order",
        "search_read",
        [("partner_id", "=", other_company["partner_id"])],
        fields=["company_id"],
    )
    assert [(row["id"], row["company_id"][0]) for row in found] == [
        (other_company["other_order"], other_company["company_id"])
    ]
    assert user("crm.order.line", "search_count", [("order_id", "=", main_order)]) == 0
    assert (
        user(
            "crm.order.status.history",
            "search_count",
            [("order_id", "=", main_order)],
        )
        == 0
    )


def test_user_of_another_company_cannot_change_the_order(admin, other_company):
    user, main_order = other_company["user"], other_company["main_order"]
    fields = ["status_id", "amount_total", "write_date", "line_ids"]
    (before,) = admin("crm.order", "read", [main_order], fields=fields)
    cancelled = admin.ref("crm_order_management.order_status_cancelled")
    attempts = [
        ("crm.order", "write", [main_order], {"status_id": cancelled}),
        ("crm.order", "action_set_status", [main_order], cancelled),
        ("crm.order", "action_rate", [main_order], 5),
        ("crm.order", "unlink", [main_order]),
        (
            "crm.order.tracking",
            "create",
            {"order_id": main_order, "summary": "Not mine"},
        ),
    ]
    for attempt in attempts:
        message = refused(user, *attempt, code=ACCESS_ERROR)
        assert "This seems to be a multi-company issue" in message, attempt
    (after,) = admin("crm.order", "read", [main_order], fields=fields)
    assert after == before
    assert (
        admin("crm.order.tracking", "search_count", [("order_id", "=", main_order)])
        == 0
    )


def test_user_cannot_create_an_order_in_another_company(admin, other_company, catalog):
    main_company = admin("res.users", "read", [admin.uid], fields=["company_id"])[0]
    before = counts(admin, other_company["partner_id"])
    message = refused(
        other_company["user"],
        "crm.order",
        "create",
        {
            "partner_id": other_company["partner_id"],
            "company_id": main_company["company_id"][0],
            "line_ids": [(0, 0, {"product_id": catalog["chair"]})],
        },
        code=ACCESS_ERROR,
    )
    assert "doesn't have 'create' access to" in message
    assert "This seems to be a multi-company issue" in message
    assert counts(admin, other_company["partner_id"]) == before


def test_main_company_salesperson_does_not_see_the_other_company(
    salesperson, other_company
):
    other_order = other_company["other_order"]
    message = refused(
        salesperson,
        "crm.order",
        "read",
        [other_order],
        fields=["name"],
        code=ACCESS_ERROR,
    )
    assert "doesn't have 'read' access to:\n- Customer Order (crm.order)" in message
    assert "This seems to be a multi-company issue" in message
    assert salesperson("crm.order", "search_count", [("id", "=", other_order)]) == 0


# ------------------------------------------------------------
# A batch of 1,000 orders in one call
# ------------------------------------------------------------

BATCH = 1000


def batch_values(partner_id, catalog):
    return [
        {
            "partner_id": partner_id,
            "line_ids": [
                (
                    0,
                    0,
                    {"product_id": catalog["chair"], "quantity": index % 5 + 1},
                ),
            ],
        }
        for index in range(BATCH)
    ]


@pytest.fixture
def batch_customer(admin):
    """A new customer for a batch; its orders are deleted afterwards (draft orders
    may be deleted), so that the batch does not weigh on the other tests."""
    partner_id = admin("res.partner", "create", {"name": unique("Batch customer")})
    yield partner_id
    ids = admin("crm.order", "search", [("partner_id", "=", partner_id)])
    if ids:
        admin("crm.order", "unlink", ids)


def test_batch_of_1000_orders_arrives_whole(
    salesperson, admin, catalog, batch_customer
):
    before = counts(admin)
    ids = salesperson("crm.order", "create", batch_values(batch_customer, catalog))
    assert len(ids) == BATCH
    assert len(set(ids)) == BATCH
    after = counts(admin)
    assert after == {
        "orders": before["orders"] + BATCH,
        "lines": before["lines"] + BATCH,
        "history": before["history"] + BATCH,
    }
    rows = admin(
        "crm.order",
        "search_read",
        [("partner_id", "=", batch_customer)],
        fields=["name", "amount_total", "status_id", "order_type_id", "user_id"],
        order="id",
    )
    assert [row["id"] for row in rows] == sorted(ids)
    # the first order is the new customer's, the others a returning customer's
    assert [row["order_type_id"][1] for row in rows] == ["New Customer"] + [
        "Returning Customer"
    ] * (BATCH - 1)
    # one number each, drawn in order from the returning type's sequence
    assert NUMBER.match(rows[0]["name"]), rows[0]["name"]
    numbers = [int(RETURNING_NUMBER.match(r["name"]).group(1)) for r in rows[1:]]
    assert numbers == list(range(numbers[0], numbers[0] + BATCH - 1))
    assert len({row["name"] for row in rows}) == BATCH
    assert {row["status_id"][1] for row in rows} == {"Draft"}
    assert {row["user_id"][0] for row in rows} == {salesperson.uid}
    assert sum(row["amount_total"] for row in rows) == 20.0 * 3 * BATCH
    (partner,) = admin(
        "res.partner", "read", [batch_customer], fields=["crm_order_count"]
    )
    assert partner["crm_order_count"] == BATCH


@pytest.mark.parametrize(
    "bad_line, expected",
    [
        pytest.param(
            {"discount": 101},
            "The discount of an order line must be between 0 and 100%.",
            id="discount",
        ),
        pytest.param(
            {"quantity": "many"},
            "'many' is not a number.",
            id="quantity-type",
        ),
    ],
)
def test_batch_with_one_invalid_order_arrives_not_at_all(
    bad_line, expected, salesperson, admin, catalog, batch_customer
):
    values = batch_values(batch_customer, catalog)
    values[BATCH - 2]["line_ids"][0][2].update(bad_line)  # near the end
    before = counts(admin)
    message = refused(salesperson, "crm.order", "create", values)
    assert expected in message
    assert counts(admin) == before
    assert counts(admin, batch_customer) == {"orders": 0, "lines": 0, "history": 0}


# ------------------------------------------------------------
# The server's side
# ------------------------------------------------------------


def test_refusals_leave_no_traceback_in_the_server_log(odoo_server):
    # Runs last in this module. Odoo echoes every refused call as a WARNING of
    # odoo.http, and logs each SQL constraint violation as a "bad query" of
    # odoo.sql_db before turning it into a ValidationError: those are the refusals
    # above. An "Exception during request handling" (a traceback sent as the Fault,
    # code 1) or anything else fails.
    problems = [
        line
        for line in odoo_server["log"].log_problems()
        if not re.search(r" WARNING \S+ odoo\.http: ", line)
        and not re.search(r" ERROR \S+ odoo\.sql_db: bad query: ", line)
    ]
    assert problems == []
