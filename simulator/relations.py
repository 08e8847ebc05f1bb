"""The kinds of edge the world keeps (see the store's relations): one name each, used by every family.

An edge goes from `src` to `dst` and carries the time it was made. Families differ only in their rules.
"""

from __future__ import annotations

FOLLOWS = "follows"  # user -> user they follow
FOLLOW_REQUESTS = "follow_requests"  # user -> protected user, pending until accepted
BLOCKS = "blocks"  # user -> user they block
MUTES = "mutes"  # user -> user they mute
LIKES = "likes"  # user -> post
REPOSTS = "reposts"  # user -> post
BOOKMARKS = "bookmarks"  # user -> post
HIDDEN_REPLIES = "hidden_replies"  # conversation's author -> reply they hid
OWNED_LISTS = "owned_lists"  # user -> list they own
LIST_MEMBERS = "list_members"  # list -> user on it
LIST_FOLLOWS = "list_follows"  # user -> list they follow
PINNED_LISTS = "pinned_lists"  # user -> list they pinned

# users lookups and timelines
MENTIONS = "mentions"  # post -> user its text @mentions when posted (the mentions timeline's index)
AFFILIATIONS = "affiliations"  # user -> organisation account they are affiliated with
REPOSTED_AS = "reposted_as"  # source post -> the repost post that carries it (see simulator/reposts.py)
BOOKMARK_FOLDERS = "bookmark_folders"  # user -> bookmark folder they made
FOLDER_POSTS = "folder_posts"  # bookmark folder -> bookmarked post filed in it

# post fields
EDITS = "edits"  # a post's first version -> each later version of it (edits within X's edit window)
POLL_VOTES = "poll_votes"  # user -> "<poll id>:<option position>" they voted for
POLL_VOTERS = "poll_voters"  # poll -> user who voted in it (one vote per poll)
ACCOUNT_SETTINGS = "account_settings"  # user -> a setting they have on (resources/post_rules.py SETTINGS)

# webhooks, the Account Activity API and the X Activity API (simulator/webhooks.py)
APP_WEBHOOKS = "app_webhooks"  # developer account -> webhook registered by one of its apps (X's limit is per account)
AAA_SUBSCRIPTIONS = "aaa_subscriptions"  # webhook -> user whose account activity it receives
APP_ACTIVITY_SUBSCRIPTIONS = "app_activity_subscriptions"  # app -> X Activity subscription it made
ACTIVITY_FILTER_USERS = "activity_filter_users"  # X Activity subscription -> the user its filter names
# direct messages
DM_PARTICIPANTS = "dm_participants"  # DM conversation -> user in it
DM_EVENTS = "dm_events"  # DM conversation -> DM event in it
DM_BLOCKS = "dm_blocks"  # user -> user whose DMs they block (the DM block endpoints; no other effect)
STREAM_LINKED_APPS = "stream_linked_apps"  # "*" -> app with a filtered-stream webhook link (the deliverer's index)
# spaces and broadcasts (simulator/spaces.py, simulator/broadcasts.py); "*" indexes every record of a table
SPACES_CREATED = "spaces_created"  # user -> Space they created; "*" -> every Space
SPACE_BUYERS = "space_buyers"  # ticketed Space -> user who bought a ticket
SPACE_POSTS = "space_posts"  # Space -> post shared in it
BROADCASTS_OWNED = "broadcasts_owned"  # user -> broadcast they own (scheduled or not)
BROADCAST_CHAT = "broadcast_chat"  # broadcast -> chat message sent in it
# XChat (simulator/chat_rules.py)
CHAT_MEMBERS = "chat_members"  # chat conversation -> user in it
CHAT_EVENTS = "chat_events"  # chat conversation -> event (sequence id) in it
CHAT_HIDDEN = "chat_hidden"  # user -> chat event they deleted for themself
CHAT_PUBLIC_KEYS = "chat_public_keys"  # user -> "<user id>:<version>" of a public key they registered
CHAT_MEDIA = "chat_media"  # chat conversation -> media hash key uploaded to it
# communities, news, articles, Community Notes (simulator/communities.py, news.py, articles.py, notes.py)
COMMUNITIES = "communities"  # "*" -> community (the search index)
COMMUNITY_MEMBERS = "community_members"  # community -> user in it
NEWS_STORIES = "news_stories"  # "*" -> news story (the search index)
ARTICLES = "articles"  # user -> article they drafted
NOTES_WRITTEN = "notes_written"  # user -> Community Note they wrote
POST_NOTES = "post_notes"  # post -> Community Note written about it
# compliance jobs and account states (simulator/compliance.py, simulator/account_states.py)
COMPLIANCE_JOBS = "compliance_jobs"  # app -> compliance job it created
COMPLIANCE_ACTIVE = "compliance_active"  # "<app id>:<type>" -> its job not yet done (X allows one at a time)
ACCOUNT_STATES = "account_states"  # user -> "suspended" or "deactivated", with the time it happened
