"""Helpers every stage may use, which know nothing of places, events or pages.

`files` reads an untrusted folder without leaving it; `packed` keeps records quick to
pickle; `parallel` spreads work over the cores; `suggest` offers a did-you-mean; `colour`
measures how far apart two colours look (to colour-blind readers, on a projector); `cache`
is this user's cache folder and `signed` stores values there signed with this user's key.
They import nothing of the stages (`atlas.errors` is the one other module they may use).
"""
