"""The shared-record kit: what every confidential record exchanged under the Memorandum
(clauses 3, 4, 5, 6 and 7) stands on, so that a record kind is a model, a form and a
few lines of registration (docs/adding-a-record-kind.md).

- ``models``: ``SharedRecord`` (reference number, acknowledgement, assignment, due
  date), the dated timeline (``Event``, ``RecordEvent``), ``Attachment`` and
  ``ConsentRequest``;
- ``transitions``: the one way a status changes — lock, check the declared table, save,
  event row, audit entry, outbox entries, one transaction;
- ``policies``: ``can_<action>(user, record)``, asked by pages (which buttons show) and
  by services (which refuse);
- ``services``: create, share, withdraw, acknowledge, assign, attach, and disclosure to
  a third party with written consent (request, grant, refuse, withdraw);
- ``views`` and ``api``: the panels of a shared record's page and their API actions.
"""
