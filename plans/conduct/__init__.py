"""Collection conduct and complaints: contact rules, the contact log, the message checker, complaints.

The rules the hardship-plan regulations bring with them, kept in one place:

* :mod:`.vocabulary` - the words once (channels, outcomes, flags, rules, complaint
  categories and states) as ``enum.StrEnum``;
* :mod:`.settings` - the policy's ``[conduct]`` table (contact hours, daily limits,
  third parties, what each account flag still allows, complaint due days, extra
  message rules);
* :mod:`.contact_rules` - whether a contact is allowed now and why not
  (:func:`~.contact_rules.decide`), and when a written message may go out
  (:func:`~.contact_rules.schedule`): pure functions of the policy, the account's
  flags, its earlier contacts and the time;
* :mod:`.messages` - the checker of collection messages
  (:func:`~.messages.check_message`), its rules in ``message_rules.toml``;
* :mod:`.complaints` - due dates, extensions and a complaint's state from its events,
  and the reply letter;
* :mod:`.report` - ``installment conduct report``.

The store keeps the contact log, the flags and the complaints register
(:mod:`plans.store.conduct`); this package never touches a database.
"""
