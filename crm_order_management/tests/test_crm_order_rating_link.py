# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmOrderCommon
from .test_crm_order_integrity import CrmOrderXmlrpcCase


@tagged("post_install", "-at_install")
class TestCrmOrderRatingLink(CrmOrderCommon):
    """The Completed e-mail asks the customer for a rating through Odoo's rating
    links; the rating given through a link is the order's rating."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "ben.private@example.com"
        cls.salesman.email = "sam.salesman@example.com"
        cls.public_user = cls.env.ref("base.public_user")

    def _apply_as_public(self, order, rate, token, feedback=None):
        """As the public controller does: the visitor's request, sudo-ed."""
        return (
            order.with_user(self.public_user)
            .sudo()
            .rating_apply(rate, token=token, feedback=feedback)
        )

    def _completed_mail(self, order):
        self._flush_tracking()
        return self.env["mail.mail"].search(
            [
                ("model", "=", "crm.order"),
                ("res_id", "=", order.id),
                ("recipient_ids", "in", self.customer.ids),
            ]
        )

    def test_completed_mail_contains_the_rating_links(self):
        order = self._complete(self._create_order())
        mail = self._completed_mail(order)
        self.assertEqual(len(mail), 1)
        rating = order.rating_ids.filtered(lambda r: not r.consumed)
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.partner_id, self.customer)
        self.assertEqual(rating.rated_partner_id, self.salesman.partner_id)
        for rate in (5, 3, 1):
            self.assertIn(f"/rate/{rating.access_token}/{rate}", mail.body_html)
        self.assertEqual(order._rating_get_access_token(), rating.access_token)

    def test_link_rating_is_the_order_rating(self):
        order = self._complete(self._create_order())
        token = order._rating_get_access_token()
        rating = self._apply_as_public(order, 5, token, feedback="Great")
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(order.rating, 5)
        self.assertEqual(order.rating_comment, "Great")
        self.assertEqual(order.rating_date, self.env.cr.now())
        self.assertEqual(order.rating_ids.filtered("consumed"), rating)

    def test_link_rating_without_feedback(self):
        order = self._complete(self._create_order())
        order.write({"rating": 2, "rating_comment": "Late"})
        self._apply_as_public(order, 3, order._rating_get_access_token())
        self.assertEqual(order.rating, 3)
        self.assertFalse(order.rating_comment)

    def test_link_rating_of_an_order_not_completed_is_refused(self):
        order = self._move(self._create_order(), self.status_payment)
        token = order._rating_get_access_token()
        with self.assertRaisesRegex(UserError, "Only completed orders can be rated"):
            self._apply_as_public(order, 5, token, feedback="Great")
        self.assertFalse(order.rating_ids.consumed)
        self.assertEqual(order.rating, 0)
        self.assertFalse(order.rating_comment)
        self.assertFalse(order.rating_date)


@tagged("post_install", "-at_install")
class TestRatingTokenStaysTheCustomers(CrmOrderXmlrpcCase):
    """The rating link's token is the customer's credential: it is in the
    Completed e-mail to the customer, never in the message the chatter keeps,
    which every reader of the order sees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "ben.private@example.com"
        cls.salesman.email = "sam.salesman@example.com"

    def test_the_chatter_holds_no_rating_token(self):
        order = self._complete(self._create_order())
        self._flush_tracking()
        token = order._rating_get_access_token()
        mails = self.env["mail.mail"].search(
            [("model", "=", "crm.order"), ("res_id", "=", order.id)]
        )
        to_customer = mails.filtered(lambda mail: self.customer in mail.recipient_ids)
        self.assertEqual(len(to_customer), 1)
        for rate in (5, 3, 1):
            self.assertIn(f"/rate/{token}/{rate}", to_customer.body_html)
        self.assertIn("How satisfied are you with your order?", to_customer.body_html)
        # the same message, as the order's salesperson reads it over XML-RPC
        messages = self.rpc(
            self.salesman,
            "mail.message",
            "search_read",
            [("model", "=", "crm.order"), ("res_id", "=", order.id)],
            ["body"],
        )
        completed = [m for m in messages if "is completed" in m["body"]]
        self.assertEqual([m["id"] for m in completed], [to_customer.mail_message_id.id])
        for message in messages:
            self.assertNotIn(token, message["body"])
        # nor does any other e-mail of the order carry it
        for mail in mails - to_customer:
            self.assertNotIn(token, mail.body_html)

    def test_a_rated_order_asks_for_no_rating(self):
        order = self._complete(self._create_order())
        self._flush_tracking()
        order.write({"rating": 4})
        Mail = self.env["mail.mail"]
        before = Mail.search([("model", "=", "crm.order"), ("res_id", "=", order.id)])
        order.message_post_with_source(
            order.status_id.mail_template_id,
            email_layout_xmlid="crm_order_management.mail_notification_status",
            subtype_xmlid="mail.mt_comment",
            force_send=False,
        )
        new = (
            Mail.search([("model", "=", "crm.order"), ("res_id", "=", order.id)])
            - before
        )
        self.assertEqual(new.recipient_ids, self.customer)
        self.assertIn("is completed", new.body_html)
        self.assertNotIn("/rate/", new.body_html)

    def test_upgrade_takes_the_token_out_of_earlier_versions_mails(self):
        """Earlier versions rendered the token in the template's body: the
        upgrade takes the rating links out of the messages the chatter kept,
        and resets the template unless it was edited since its installation.
        A body without the token is left alone."""
        template = self.env.ref("crm_order_management.mail_template_order_completed")
        shipped = template.body_html
        self.assertNotIn("_rating_get_access_token", shipped)
        Order = self.env["crm.order"]
        template.body_html = "<p>Our own words</p>"
        Order._reset_completed_mail_with_rating_token()
        self.assertEqual(template.body_html, "<p>Our own words</p>")

        order = self._complete(self._create_order())
        token = "0123456789abcdef0123456789abcdef"
        kept = order.message_post(
            body=Markup(
                f'<p>Rate us: <a href="http://shop.example.com/rate/{token}/5">5</a>'
                f' <a href="http://shop.example.com/rate/{token}/1">1</a></p>'
            ),
            message_type="comment",
        )
        other = order.message_post(
            body=Markup('<p>Our <a href="http://shop.example.com/shop">shop</a></p>')
        )
        old_body = (
            '<p><t t-set="token" t-value="object._rating_get_access_token()"/>'
            '<a t-attf-href="/rate/{{ token }}/5">5</a></p>'
        )
        # edited since its installation: the template is left, with a warning
        template.body_html = old_body
        with self.assertLogs(
            "odoo.addons.crm_order_management.models.crm_order", "WARNING"
        ) as logs:
            Order._reset_completed_mail_with_rating_token()
        self.assertIn("it was edited, so it is not reset", logs.output[0])
        self.assertEqual(template.body_html, old_body)
        self.assertEqual(
            kept.body, Markup('<p>Rate us: <a href="#">5</a> <a href="#">1</a></p>')
        )
        self.assertEqual(
            other.body,
            Markup('<p>Our <a href="http://shop.example.com/shop">shop</a></p>'),
        )
        # as installed (never edited): reset to the body shipped
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET write_date = create_date WHERE id = %s",
            template.ids,
        )
        template.invalidate_recordset()
        Order._reset_completed_mail_with_rating_token()
        self.assertEqual(template.body_html, shipped)
