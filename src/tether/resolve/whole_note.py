"""Settings of step 5, the whole-note pass (``Resolver.resolve_all``, as ``check`` and
``migrate`` call it), each with the reason for its value: what the note's annotations anchored
with certainty (its *landmarks*, :mod:`tether.resolve.landmarks`) may change in the others'
answers. :class:`~tether.resolve.options.ResolveOptions` takes its defaults from here.
"""

from __future__ import annotations

from tether.resolve.copies import CopyRules

#: After every annotation of a document was resolved (``Resolver.resolve_all``, as ``check`` calls
#: it), place an ``ambiguous`` or ``orphaned`` one on the cascade's own verbatim candidate when it
#: is the only one between the two annotations anchored with certainty around its stored position,
#: where that position puts it (the rule: :mod:`tether.resolve.bracket`; its numbers:
#: :mod:`tether.resolve.landmarks`). Measured against off (issue 5, session 4; each suite resolved
#: per document): Suite A intact +2 exact ("for universal", ambiguous between two copies; "∧QP ∧e1P
#: ∧Q", refused for its context; both co519-logic v1→v2), DEV intact +4 exact ("≡∀x.¬P is", "for
#: subproofs", "LEDGER", "Speech, and"), Suite B no change (a scenario's spans are few and 150+
#: apart, and its moves displace landmarks); no wrong anchor on any (DEV keeps its 7). DEV notes
#: thinned to 10–300 annotations per pair (100 draws each, brackets up to 25,000 units): 253
#: placements, all right. Without the chance limit, 8 more placed a deleted "into" on another "into"
#: 2,000 units away (the truth's "recurs": not counted wrong, but a different passage). Placing
#: *changed* candidates too (``LandmarkRules.changed_candidates``): Suite A +2 edited, DEV +6
#: edited/moved but 1 wrong anchor, thinned DEV notes 152 wrong of 1,050 (deleted table rows and
#: words placed on the surviving one next to them).
LANDMARKS = True
#: After every annotation of a document was resolved (``Resolver.resolve_all``): a passage step
#: 4 refused only because its best chain keeps less than ``CHAIN_BARE_COVERAGE`` with the stored
#: context agreeing at neither end is accepted with ``CHAIN_MIN_COVERAGE`` (the floor of a chain
#: whose context agrees at an end) when that chain lies between two landmarks of the same note
#: (:func:`~tether.resolve.bracket.place_chains`: the bracket of ``LANDMARKS``' rule, its
#: first three conditions, the bracket's change in length up to
#: ``landmarks.CHAIN_MAX_GAP_CHANGE_RATIO``). The bare floor is higher because a bare chain can
#: sit on a copy or a moved fragment elsewhere (coverage overshooting the truth's kept fraction
#: by up to 0.37 on DEV; deleted passages' bare chains reach 0.53 on DEV, a reordered
#: bibliography, and 0.535 in Suite B); between the landmarks the chain is where the note's own
#: neighbours put the passage, which is what an agreeing context side says. Measured against
#: off (issue 5, session 7): Suite A edited +3 (co519-logic v3→v4 "∀x.P ∀i where x0 is free…"
#: 58 %, yellow paper v1→v2 the EXP/partial-payment fee rows 58 %, v2→v3 "the first three
#: components…" 54 %), moved +1 (a thesis reference reformatted and moved, 60 % − 0.001),
#: DEV edited +10 (53–59 %), Suite B unchanged (its scenarios have few landmarks); no wrong
#: anchor on any; every changed answer read: the passage, rewritten around the chain. Margin:
#: the best bare chain of a deleted passage inside a bracket keeps 0.493 in Suite A (yellow
#: paper v3→v4, the truth's kept fraction 0.4926) and 0.473 on DEV (0.027 / 0.047 below the
#: floor, the bracketed floor's own margin); the reordered bibliography's 0.53 has a displaced
#: landmark in its bracket, and Suite B's deleted passages have no landmarks. The same floor
#: for every bare chain (no bracket) gains the same here, but leaves Suite B's deleted
#: "ds-stack-queue" passage (0.535) to step 4's other rules and the LLM-mediator one (0.517)
#: 0.003 below the floor. DEV notes thinned to 10–300 annotations (100 draws per size): 1,415
#: placements, none wrong (but every bare chain of 0.52–0.60 on DEV is right anyway, so this
#: shows only that thinner notes place fewer). Cost: a chain search for each ``orphaned``
#: quote of 48+ characters with a bracket, a second resolve only when its best chain is bare
#: and between the floors: not measurable (Suite A + DEV, 3 alternated runs each, 4.0–5.0 s
#: CPU either way, load 4–8).
CHAIN_IN_BRACKET = True

#: After the placements, refuse an accepted answer that the note's landmarks show the old version
#: already had elsewhere (:mod:`tether.resolve.copies`: the rule, its numbers, measurements).
#: Session 9: DEV wrong 2 → 1; nothing else changes on Suites A, B, DEV or migrate. None: off.
PREEXISTING_COPIES: CopyRules | None = CopyRules()
#: Refuse an accepted answer that lies outside its stored position's bracket while the quote stands
#: verbatim where the landmarks put the passage, a whole stored side verbatim beside it
#: (:mod:`tether.resolve.contradicted`: the rule and its guards). Off. Session 12, against off:
#: Suites A + B and DEV identical; of the wrong anchors on fresh draws it took 1 (Suite B seeds
#: 2–51; none on seven DEV-style draws, K = 100–700, or seeds 52–71), which the placement rule put
#: on the passage. But three read-only reviews built notes where it refused a right answer — a
#: passage moved out of its bracket while a parallel copy (a table's next row, a listing's parallel
#: function) slid into its place — and its refusals were then placed on that copy: 29 of 293
#: generated moves before the shrink and all-verbatim guards, and 13 of about 1,100 after them when
#: text was also added elsewhere in the bracket. Its refusals are now never placed (see
#: ``LandmarkPlacing.place_refusals``), so on it would only refuse; for one wrong anchor in 50 seeds
#: that is not worth the right answers those notes show it refusing.
CONTRADICTED = False
