"""Care pages. Every view goes through ``@care_view`` (guard): the policy decision point is
built once per request, refusals are logged, and a view that logs nothing fails.

Status codes: 403 when the role may never use a page or may not take an action on a client it
can see; 404 for a client (or referral) the user may not see, whether it exists or not; 409 when
a referral changed since the form was shown (nothing is saved then); 400 for an invalid form.
"""
