"""The X surface, declared once: every endpoint with its auth, scopes, limits and price classes.

Scopes follow X's OpenAPI spec; rate-limit classes name rows of `simulator.limits`,
price classes rows of `simulator.pricing`.
"""

from __future__ import annotations

from xmock.simulator.endpoints import BEARER, NONE, OAUTH1_CONSUMER, OAUTH1_REQUEST, OAUTH1_USER, OAUTH2_USER
from xmock.simulator.endpoints import Endpoint as E
from xmock.simulator.oauth1 import flow
from xmock.simulator.oauth2 import app_only, authorize, token_endpoint
from xmock.simulator.resources import (
    account_activity,
    activity_subscriptions,
    analytics,
    archive_search,
    articles,
    bookmarks,
    broadcast_chat,
    broadcasts,
    chat,
    chat_uploads,
    communities,
    compliance_jobs,
    counts,
    dms,
    engagement,
    graph,
    hide_replies,
    legacy,
    list_members,
    lists,
    media_lookup,
    media_v1,
    media_v2,
    news,
    notes,
    openapi,
    post_lookups,
    posts,
    public_keys,
    search,
    spaces,
    stream_connections,
    stream_rules,
    streams,
    timelines,
    trends,
    usage,
    users,
    webhooks,
)
from xmock.simulator.resources.owned import owned_or

USER = (OAUTH1_USER, OAUTH2_USER)
READ = (OAUTH1_USER, OAUTH2_USER, BEARER)
T_READ = ("tweet.read", "users.read")
T_WRITE = ("tweet.read", "tweet.write", "users.read")
LIKE_WRITE = ("like.write", "tweet.read", "users.read")
MEDIA = ("media.write",)
# social graph
FOLLOWS_READ = ("follows.read", "tweet.read", "users.read")
FOLLOWS_WRITE = ("follows.write", "tweet.read", "users.read")
BLOCK_READ = ("block.read", "tweet.read", "users.read")
MUTE_READ = ("mute.read", "tweet.read", "users.read")
MUTE_WRITE = ("mute.write", "tweet.read", "users.read")
TIMELINE_READ = ("timeline.read", "tweet.read")
LIKE_READ = ("like.read", "tweet.read", "users.read")
MODERATE_WRITE = ("tweet.moderate.write", "tweet.read", "users.read")

# lists and bookmarks: OAuth 2.0 scopes as the spec's `security` gives them
L_READ = ("list.read", "tweet.read", "users.read")
L_WRITE = ("list.write", "tweet.read", "users.read")
L_CREATE = ("list.read", "list.write", "tweet.read", "users.read")
B_READ = ("bookmark.read", "tweet.read", "users.read")
B_WRITE = ("bookmark.write", "tweet.read", "users.read")
B_FOLDERS_READ = ("bookmark.read", "users.read")
B_FOLDERS_WRITE = ("bookmark.write", "users.read")

# webhooks, Account Activity, X Activity subscriptions: auth as the spec's `security` gives it
U1_B = (OAUTH1_USER, BEARER)
AAA_SCOPES = ("dm.read", "dm.write", "tweet.read", "users.read")
XAA_READ = ("like.read", "tweet.read")
# direct messages: OAuth 2.0 scopes as the spec's `security` gives them
DM_READ = ("dm.read", "tweet.read", "users.read")
DM_WRITE = ("dm.write", "tweet.read", "users.read")
DM_DELETE = ("dm.read", "dm.write")
# spaces and broadcasts: OAuth 2.0 scopes as the spec's `security` gives them (no OAuth 1.0a on any Spaces op)
U2_B = (OAUTH2_USER, BEARER)
SPACE_READ = ("space.read", "tweet.read", "users.read")
BC_READ = ("broadcast.read",)
BC_WRITE = ("broadcast.read", "broadcast.write")
# XChat and users' public keys: OAuth 2.0 scopes as the spec's `security` gives each operation
CHAT_LIST = ("dm.read", "users.read")
CHAT_INIT = ("dm.write",)
# communities, news, articles, Community Notes, trends: OAuth 2.0 scopes as the spec's `security` gives them
COMMUNITY_READ = ("list.read", "tweet.read", "users.read")
NOTES_READ = ("tweet.read",)
NOTES_WRITE = ("tweet.write",)

# fmt: off
ENDPOINTS: list[E] = [
    # posts
    E("createPosts", "POST", "/2/tweets", posts.create, USER, T_WRITE, write=True, rate_class="posts:create",
      price_class="ContentCreate", price_refine=posts.create_price, pays_on_write=True),
    E("getPostsByIds", "GET", "/2/tweets", posts.get_many, READ, T_READ, rate_class="posts:lookup-many",
      price_class="Post"),
    E("getPostsById", "GET", "/2/tweets/{id}", posts.get_one, READ, T_READ, rate_class="posts:lookup",
      price_class="Post"),
    E("deletePosts", "DELETE", "/2/tweets/{id}", posts.delete, USER, T_WRITE, write=True,
      rate_class="posts:delete", price_class="ContentManage"),
    E("searchPostsRecent", "GET", "/2/tweets/search/recent", search.recent, READ, T_READ,
      rate_class="posts:search-recent", price_class="Post"),
    E("getUsersPosts", "GET", "/2/users/{id}/tweets", posts.timeline, READ, T_READ, rate_class="users:posts",
      price_class="Post", price_refine=owned_or("Post")),
    # users
    E("getUsersMe", "GET", "/2/users/me", users.me, USER, T_READ, rate_class="users:me", price_class="User"),
    E("getUsersById", "GET", "/2/users/{id}", users.by_id, READ, T_READ, rate_class="users:lookup",
      price_class="User"),
    E("getUsersByUsername", "GET", "/2/users/by/username/{username}", users.by_username, READ, T_READ,
      rate_class="users:lookup", price_class="User"),
    # users lookups and timelines
    E("getUsersByIds", "GET", "/2/users", users.by_ids, READ, T_READ, rate_class="users:lookup-ids",
      price_class="User"),
    E("getUsersByUsernames", "GET", "/2/users/by", users.by_usernames, READ, T_READ,
      rate_class="users:lookup-usernames", price_class="User"),
    E("searchUsers", "GET", "/2/users/search", users.search, USER, T_READ, rate_class="users:search",
      price_class="User"),
    E("getUsersAffiliates", "GET", "/2/users/{id}/affiliates", users.affiliates, READ, T_READ,
      rate_class="users:affiliates", price_class="User"),
    E("getUsersMentions", "GET", "/2/users/{id}/mentions", timelines.mentions, READ, T_READ,
      rate_class="users:mentions", price_class="Post", price_refine=owned_or("Post")),
    E("getUsersTimeline", "GET", "/2/users/{id}/timelines/reverse_chronological", timelines.home, USER, T_READ,
      rate_class="users:home-timeline", price_class="Post"),
    E("getUsersRepostsOfMe", "GET", "/2/users/reposts_of_me", timelines.reposts_of_me, USER, TIMELINE_READ,
      rate_class="users:reposts-of-me", price_class="Post"),
    # engagement
    E("likePost", "POST", "/2/users/{id}/likes", engagement.like, USER, LIKE_WRITE, write=True,
      rate_class="likes:write", price_class="UserInteractionCreate"),
    E("unlikePost", "DELETE", "/2/users/{id}/likes/{tweet_id}", engagement.unlike, USER, LIKE_WRITE, write=True,
      rate_class="likes:write", price_class="InteractionDelete"),
    E("repostPost", "POST", "/2/users/{id}/retweets", engagement.repost, USER, T_WRITE, write=True,
      rate_class="reposts:write", price_class="UserInteractionCreate"),
    E("unrepostPost", "DELETE", "/2/users/{id}/retweets/{source_tweet_id}", engagement.unrepost, USER, T_WRITE,
      write=True, rate_class="reposts:write", price_class="InteractionDelete"),
    # media (an upload's every request is priced as content creation, as X's console maps it)
    E("mediaUpload", "POST", "/2/media/upload", media_v2.upload, USER, MEDIA, write=True, rate_class="media:upload",
      price_class="MediaUpload"),
    E("getMediaUploadStatus", "GET", "/2/media/upload", media_v2.status, USER, MEDIA, rate_class="media:status"),
    E("initializeMediaUpload", "POST", "/2/media/upload/initialize", media_v2.initialize, USER, MEDIA, write=True,
      rate_class="media:chunked", price_class="MediaUpload"),
    E("appendMediaUpload", "POST", "/2/media/upload/{id}/append", media_v2.append, USER, MEDIA, write=True,
      rate_class="media:chunked", price_class="MediaUpload"),
    E("finalizeMediaUpload", "POST", "/2/media/upload/{id}/finalize", media_v2.finalize, USER, MEDIA, write=True,
      rate_class="media:chunked", price_class="MediaUpload"),
    E("createMediaMetadata", "POST", "/2/media/metadata", media_v2.metadata, USER, MEDIA, write=True,
      rate_class="media:metadata", price_class="MediaMetadata"),
    E("mediaUploadV1", "POST", "/1.1/media/upload.json", media_v1.upload, (OAUTH1_USER,), write=True, surface="v1",
      rate_class="media:chunked", price_class="MediaUpload"),
    E("mediaUploadStatusV1", "GET", "/1.1/media/upload.json", media_v1.status, (OAUTH1_USER,), surface="v1",
      rate_class="media:status"),
    # lists
    E("createLists", "POST", "/2/lists", lists.create, USER, L_CREATE, write=True, rate_class="lists:create",
      price_class="ListCreate"),
    E("getListsById", "GET", "/2/lists/{id}", lists.get_one, READ, L_READ, rate_class="lists:lookup",
      price_class="List"),
    E("updateLists", "PUT", "/2/lists/{id}", lists.update, USER, L_WRITE, write=True, rate_class="lists:update",
      price_class="ListManage"),
    E("deleteLists", "DELETE", "/2/lists/{id}", lists.delete, USER, L_WRITE, write=True, rate_class="lists:delete",
      price_class="ListManage"),
    E("getListsMembers", "GET", "/2/lists/{id}/members", list_members.members, READ, L_READ,
      rate_class="lists:members", price_class="User"),
    E("addListsMember", "POST", "/2/lists/{id}/members", list_members.add_member, USER, L_WRITE, write=True,
      rate_class="lists:member-add", price_class="ListCreate"),
    E("removeListsMemberByUserId", "DELETE", "/2/lists/{id}/members/{user_id}", list_members.remove_member, USER,
      L_WRITE, write=True, rate_class="lists:member-remove", price_class="ListManage"),
    E("getListsFollowers", "GET", "/2/lists/{id}/followers", list_members.followers, READ, L_READ,
      rate_class="lists:followers", price_class="User"),
    E("getListsPosts", "GET", "/2/lists/{id}/tweets", list_members.posts, READ, L_READ, rate_class="lists:posts",
      price_class="Post"),
    E("getUsersOwnedLists", "GET", "/2/users/{id}/owned_lists", lists.owned, READ, L_READ,
      rate_class="lists:owned", price_class="List", price_refine=owned_or("List")),
    E("getUsersListMemberships", "GET", "/2/users/{id}/list_memberships", lists.memberships, READ, L_READ,
      rate_class="lists:memberships", price_class="List", price_refine=owned_or("List")),
    E("getUsersFollowedLists", "GET", "/2/users/{id}/followed_lists", lists.followed, READ, L_READ,
      rate_class="lists:followed", price_class="List", price_refine=owned_or("List")),
    E("followList", "POST", "/2/users/{id}/followed_lists", list_members.follow, USER, L_WRITE, write=True,
      rate_class="lists:follow", price_class="ListCreate"),
    E("unfollowList", "DELETE", "/2/users/{id}/followed_lists/{list_id}", list_members.unfollow, USER, L_WRITE,
      write=True, rate_class="lists:unfollow", price_class="ListManage"),
    E("getUsersPinnedLists", "GET", "/2/users/{id}/pinned_lists", lists.pinned, USER, L_READ,
      rate_class="lists:pinned", price_class="List", price_refine=owned_or("List")),
    E("pinList", "POST", "/2/users/{id}/pinned_lists", list_members.pin, USER, L_WRITE, write=True,
      rate_class="lists:pin", price_class="ListCreate"),
    E("unpinList", "DELETE", "/2/users/{id}/pinned_lists/{list_id}", list_members.unpin, USER, L_WRITE,
      write=True, rate_class="lists:unpin", price_class="ListManage"),
    # bookmarks (the writes take OAuth 2.0 user tokens only, as the spec says). The folder paths come before
    # /bookmarks/{tweet_id}: the router tries path patterns in the order they are first declared.
    E("getUsersBookmarks", "GET", "/2/users/{id}/bookmarks", bookmarks.read, USER, B_READ,
      rate_class="bookmarks:read", price_class="Post", price_refine=owned_or("Post")),
    E("createUsersBookmark", "POST", "/2/users/{id}/bookmarks", bookmarks.create, (OAUTH2_USER,), B_WRITE,
      write=True, rate_class="bookmarks:create", price_class="Bookmark"),
    E("getUsersBookmarkFolders", "GET", "/2/users/{id}/bookmarks/folders", bookmarks.folders, USER,
      B_FOLDERS_READ, rate_class="bookmarks:folders", price_class="Bookmark"),
    E("createUsersBookmarkFolder", "POST", "/2/users/{id}/bookmarks/folders", bookmarks.create_folder,
      (OAUTH2_USER,), B_FOLDERS_WRITE, write=True, rate_class="bookmarks:folder-create", price_class="Bookmark"),
    E("getUsersBookmarksByFolderId", "GET", "/2/users/{id}/bookmarks/folders/{folder_id}", bookmarks.folder_posts,
      USER, B_READ, rate_class="bookmarks:folder", price_class="Post"),
    E("deleteUsersBookmark", "DELETE", "/2/users/{id}/bookmarks/{tweet_id}", bookmarks.delete, (OAUTH2_USER,),
      B_WRITE, write=True, rate_class="bookmarks:delete", price_class="Bookmark"),
    # usage (not billed)
    E("getUsage", "GET", "/2/usage/tweets", usage.tweets, (BEARER,), rate_class="usage:tweets"),
    E("getUsageCredits", "GET", "/2/usage/credits", usage.credits, READ, rate_class="usage:credits"),
    # the spec itself
    E("getOpenApiSpec", "GET", "/2/openapi.json", openapi.document, (NONE,)),
    # v1.1
    E("statusesUpdate", "POST", "/1.1/statuses/update.json", legacy.update_status, (OAUTH1_USER,), write=True,
      surface="v1", rate_class="posts:create", price_class="ContentCreate", price_refine=legacy.update_price,
      pays_on_write=True),
    # OAuth 1.0a
    E("oauthRequestToken", "POST", "/oauth/request_token", flow.request_token, (OAUTH1_CONSUMER,),
      surface="oauth"),
    E("oauthAccessToken", "POST", "/oauth/access_token", flow.access_token, (OAUTH1_REQUEST,), surface="oauth"),
    E("oauthRequestToken", "GET", "/oauth/request_token", flow.request_token, (OAUTH1_CONSUMER,), surface="oauth",
      setting="oauth1_token_get"),
    E("oauthAccessToken", "GET", "/oauth/access_token", flow.access_token, (OAUTH1_REQUEST,), surface="oauth",
      setting="oauth1_token_get"),
    E("oauthInvalidateToken", "POST", "/1.1/oauth/invalidate_token", flow.invalidate_token, (OAUTH1_USER,),
      surface="v1"),
    E("oauthInvalidateTokenJson", "POST", "/1.1/oauth/invalidate_token.json", flow.invalidate_token,
      (OAUTH1_USER,), surface="v1"),
    # OAuth 2.0: the token endpoints authenticate clients themselves (Basic or body credentials).
    E("oauth2Token", "POST", "/2/oauth2/token", token_endpoint.token, (NONE,), surface="oauth2"),
    E("oauth2Revoke", "POST", "/2/oauth2/revoke", token_endpoint.revoke, (NONE,), surface="oauth2"),
    E("oauth2AppToken", "POST", "/oauth2/token", app_only.token, (NONE,), surface="v1"),
    E("oauth2InvalidateAppToken", "POST", "/oauth2/invalidate_token", app_only.invalidate, (NONE,), surface="v1"),
    # social graph: follows, blocks (read only: 2.167 has no block write), mutes
    E("getUsersFollowers", "GET", "/2/users/{id}/followers", graph.followers, READ, FOLLOWS_READ,
      rate_class="follows:read", price_class="Following", price_refine=owned_or("Following")),
    E("getUsersFollowing", "GET", "/2/users/{id}/following", graph.following, READ, FOLLOWS_READ,
      rate_class="follows:read", price_class="Following", price_refine=owned_or("Following")),
    E("followUser", "POST", "/2/users/{id}/following", graph.follow, USER, FOLLOWS_WRITE, write=True,
      rate_class="follows:follow", price_class="UserInteractionCreate"),
    E("unfollowUser", "DELETE", "/2/users/{source_user_id}/following/{target_user_id}", graph.unfollow, USER,
      FOLLOWS_WRITE, write=True, rate_class="follows:unfollow", price_class="InteractionDelete"),
    E("getUsersBlocking", "GET", "/2/users/{id}/blocking", graph.blocking, USER, BLOCK_READ,
      rate_class="blocks:read", price_class="Block", price_refine=owned_or("Block")),
    E("getUsersMuting", "GET", "/2/users/{id}/muting", graph.muting, USER, MUTE_READ, rate_class="mutes:read",
      price_class="Mute", price_refine=owned_or("Mute")),
    E("muteUser", "POST", "/2/users/{id}/muting", graph.mute, USER, MUTE_WRITE, write=True,
      rate_class="mutes:mute", price_class="PrivacyUpdate"),
    E("unmuteUser", "DELETE", "/2/users/{source_user_id}/muting/{target_user_id}", graph.unmute, USER, MUTE_WRITE,
      write=True, rate_class="mutes:unmute", price_class="MuteDelete"),
    # post family: engagement lookups, quotes, hidden replies, counts, full-archive search, analytics
    E("getPostsLikingUsers", "GET", "/2/tweets/{id}/liking_users", post_lookups.liking_users, USER, LIKE_READ,
      rate_class="posts:liking-users", price_class="User"),
    E("getUsersLikedPosts", "GET", "/2/users/{id}/liked_tweets", post_lookups.liked_tweets, USER, LIKE_READ,
      rate_class="users:liked-posts", price_class="Post", price_refine=owned_or("Post")),
    E("getPostsRepostedBy", "GET", "/2/tweets/{id}/retweeted_by", post_lookups.retweeted_by, READ, T_READ,
      rate_class="posts:reposted-by", price_class="User"),
    E("getPostsReposts", "GET", "/2/tweets/{id}/retweets", post_lookups.retweets, READ, T_READ,
      rate_class="posts:reposts", price_class="Post"),
    E("getPostsQuotedPosts", "GET", "/2/tweets/{id}/quote_tweets", post_lookups.quote_tweets, READ, T_READ,
      rate_class="posts:quotes", price_class="Post"),
    E("hidePostsReply", "PUT", "/2/tweets/{tweet_id}/hidden", hide_replies.hide, USER, MODERATE_WRITE, write=True,
      rate_class="posts:hide-reply", price_class="ContentManage"),
    E("getPostsCountsRecent", "GET", "/2/tweets/counts/recent", counts.recent, (OAUTH2_USER, BEARER),
      rate_class="posts:counts-recent", price_class="CountsRecent"),
    E("getPostsCountsAll", "GET", "/2/tweets/counts/all", counts.all_, (BEARER,), rate_class="posts:counts-all",
      price_class="CountsAll"),
    E("searchPostsAll", "GET", "/2/tweets/search/all", archive_search.search_all, (BEARER,),
      rate_class="posts:search-all", price_class="Post"),
    E("getPostsAnalytics", "GET", "/2/tweets/analytics", analytics.posts_analytics, USER, T_READ,
      rate_class="posts:analytics", price_class="AnalyticsRead"),
    # media analytics (an enterprise contract, n/p in X's price list: unbilled)
    E("getMediaAnalytics", "GET", "/2/media/analytics", analytics.media_analytics, USER, T_READ,
      rate_class="media:analytics"),
    # webhooks, the Account Activity API and the X Activity API subscriptions (unbilled: n/p in X's price list)
    E("createWebhooks", "POST", "/2/webhooks", webhooks.create, U1_B, rate_class="webhooks:manage"),
    E("getWebhooks", "GET", "/2/webhooks", webhooks.list_, (BEARER,), rate_class="webhooks:manage"),
    E("validateWebhooks", "PUT", "/2/webhooks/{webhook_id}", webhooks.validate, U1_B, rate_class="webhooks:manage"),
    E("deleteWebhooks", "DELETE", "/2/webhooks/{webhook_id}", webhooks.delete, U1_B, rate_class="webhooks:manage"),
    E("createWebhookReplayJob", "POST", "/2/webhooks/replay", webhooks.replay, (BEARER,),
      rate_class="webhooks:replay"),
    E("createAccountActivitySubscription", "POST", "/2/account_activity/webhooks/{webhook_id}/subscriptions/all",
      account_activity.subscribe, USER, AAA_SCOPES, rate_class="aaa:subscriptions"),
    E("validateAccountActivitySubscription", "GET", "/2/account_activity/webhooks/{webhook_id}/subscriptions/all",
      account_activity.check, USER, AAA_SCOPES, rate_class="aaa:subscriptions"),
    E("getAccountActivitySubscriptions", "GET",
      "/2/account_activity/webhooks/{webhook_id}/subscriptions/all/list", account_activity.list_, (BEARER,),
      rate_class="aaa:subscriptions"),
    E("deleteAccountActivitySubscription", "DELETE",
      "/2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all", account_activity.delete, (BEARER,),
      rate_class="aaa:subscriptions"),
    E("getAccountActivitySubscriptionCount", "GET", "/2/account_activity/subscriptions/count", account_activity.count,
      (BEARER,), rate_class="aaa:subscriptions"),
    E("createActivitySubscription", "POST", "/2/activity/subscriptions", activity_subscriptions.create, READ,
      rate_class="activity:subscriptions"),
    E("getActivitySubscriptions", "GET", "/2/activity/subscriptions", activity_subscriptions.list_, READ, XAA_READ,
      rate_class="activity:subscriptions"),
    E("updateActivitySubscription", "PUT", "/2/activity/subscriptions/{subscription_id}",
      activity_subscriptions.update, (BEARER,), rate_class="activity:subscriptions"),
    E("deleteActivitySubscription", "DELETE", "/2/activity/subscriptions/{subscription_id}",
      activity_subscriptions.delete, (BEARER,), rate_class="activity:subscriptions"),
    E("deleteActivitySubscriptionsByIds", "DELETE", "/2/activity/subscriptions", activity_subscriptions.delete_many,
      (BEARER,), rate_class="activity:subscriptions"),
    # direct messages (reads and writes need a token with DM access: resources/dms.py); media download is OAuth
    # 2.0 only and unpriced, as the spec and price list have it
    E("createDirectMessagesByParticipantId", "POST", "/2/dm_conversations/with/{participant_id}/messages",
      dms.send_to_participant, USER, DM_WRITE, write=True, rate_class="dms:create", price_class="DmInteractionCreate"),
    E("createDirectMessagesByConversationId", "POST", "/2/dm_conversations/{dm_conversation_id}/messages",
      dms.send_to_conversation, USER, DM_WRITE, write=True, rate_class="dms:create",
      price_class="DmInteractionCreate"),
    E("createDirectMessagesConversation", "POST", "/2/dm_conversations", dms.create_conversation, USER, DM_WRITE,
      write=True, rate_class="dms:create", price_class="DmInteractionCreate"),
    E("getDirectMessagesEvents", "GET", "/2/dm_events", dms.all_events, USER, DM_READ, rate_class="dms:read",
      price_class="DmEvent"),
    E("getDirectMessagesEventsById", "GET", "/2/dm_events/{event_id}", dms.event_by_id, USER, DM_READ,
      rate_class="dms:read", price_class="DmEvent"),
    E("deleteDirectMessagesEvents", "DELETE", "/2/dm_events/{event_id}", dms.delete_event, USER, DM_DELETE,
      write=True, rate_class="dms:delete", price_class="ContentManage"),
    E("getDirectMessagesEventsByConversationId", "GET", "/2/dm_conversations/{id}/dm_events",
      dms.conversation_events, USER, DM_READ, rate_class="dms:read", price_class="DmEvent"),
    E("getDirectMessagesEventsByParticipantId", "GET", "/2/dm_conversations/with/{participant_id}/dm_events",
      dms.participant_events, USER, DM_READ, rate_class="dms:read", price_class="DmEvent"),
    E("dmConversationsMediaDownload", "GET", "/2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}",
      dms.media_download, (OAUTH2_USER,), ("dm.read",), rate_class="dms:media"),
    E("blockUsersDms", "POST", "/2/users/{id}/dm/block", dms.block, USER, DM_WRITE, write=True,
      rate_class="dms:block", price_class="PrivacyUpdate"),
    E("unblockUsersDms", "POST", "/2/users/{id}/dm/unblock", dms.unblock, USER, DM_WRITE, write=True,
      rate_class="dms:block", price_class="PrivacyUpdate"),
    # XChat and users' public keys (resources/chat.py, chat_uploads.py, public_keys.py; n/p in X's price list:
    # unbilled). The group paths come before /{id}: the router tries patterns in the order first declared.
    E("getChatConversations", "GET", "/2/chat/conversations", chat.list_conversations, USER, CHAT_LIST,
      rate_class="chat:read"),
    E("initializeChatGroup", "POST", "/2/chat/conversations/group/initialize", chat.initialize_group, USER,
      CHAT_INIT, write=True, rate_class="chat:write"),
    E("createChatConversation", "POST", "/2/chat/conversations/group", chat.create_group, USER, DM_WRITE,
      write=True, rate_class="chat:write"),
    E("getChatConversation", "GET", "/2/chat/conversations/{id}", chat.get_conversation, USER, DM_READ,
      rate_class="chat:read"),
    E("getChatConversationEvents", "GET", "/2/chat/conversations/{id}/events", chat.conversation_events, USER,
      DM_READ, rate_class="chat:read"),
    E("addConversationKeys", "POST", "/2/chat/conversations/{id}/keys", chat.add_keys, USER, DM_WRITE, write=True,
      rate_class="chat:write"),
    E("addChatGroupMembers", "POST", "/2/chat/conversations/{id}/members", chat.add_members, USER, DM_WRITE,
      write=True, rate_class="chat:write"),
    E("sendChatMessage", "POST", "/2/chat/conversations/{id}/messages", chat.send_message, USER, DM_WRITE,
      write=True, rate_class="chat:send"),
    E("deleteChatMessages", "POST", "/2/chat/conversations/{id}/messages/delete", chat.delete_messages, USER,
      DM_WRITE, write=True, rate_class="chat:write"),
    E("markChatConversationRead", "POST", "/2/chat/conversations/{id}/read", chat.mark_read, USER, DM_WRITE,
      write=True, rate_class="chat:indicators"),
    E("sendChatTypingIndicator", "POST", "/2/chat/conversations/{id}/typing", chat.typing, USER, DM_WRITE,
      write=True, rate_class="chat:indicators"),
    E("chatMediaUploadInitialize", "POST", "/2/chat/media/upload/initialize", chat_uploads.initialize, USER, MEDIA,
      write=True, rate_class="chat:media"),
    E("chatMediaUploadAppend", "POST", "/2/chat/media/upload/{id}/append", chat_uploads.append, USER, MEDIA,
      write=True, rate_class="chat:media"),
    E("chatMediaUploadFinalize", "POST", "/2/chat/media/upload/{id}/finalize", chat_uploads.finalize, USER, MEDIA,
      write=True, rate_class="chat:media"),
    E("chatMediaDownload", "GET", "/2/chat/media/{id}/{media_hash_key}", chat_uploads.download, USER, MEDIA,
      rate_class="chat:media"),
    E("getUsersPublicKeys", "GET", "/2/users/public_keys", public_keys.of_users, USER, DM_READ,
      rate_class="chat:keys-read"),
    E("getUsersPublicKey", "GET", "/2/users/{id}/public_keys", public_keys.of_user, USER, DM_READ,
      rate_class="chat:keys-read"),
    E("addUserPublicKey", "POST", "/2/users/{id}/public_keys", public_keys.add, USER, DM_WRITE, write=True,
      rate_class="chat:keys-write"),
    # streams: filtered stream and its rules, volume, likes, compliance and label streams, the X Activity
    # stream, the connections API and filtered-stream webhook links (all app-only bearer, as the spec says)
    E("getRules", "GET", "/2/tweets/search/stream/rules", stream_rules.get_rules, (BEARER,),
      rate_class="streams:rules-read"),
    E("updateRules", "POST", "/2/tweets/search/stream/rules", stream_rules.update_rules, (BEARER,),
      rate_class="streams:rules-write"),
    E("getRuleCounts", "GET", "/2/tweets/search/stream/rules/counts", stream_rules.rule_counts, (BEARER,),
      rate_class="streams:rules-read"),
    E("streamPosts", "GET", "/2/tweets/search/stream", streams.connect, (BEARER,), rate_class="streams:filtered",
      price_class="Post"),
    E("streamPostsSample", "GET", "/2/tweets/sample/stream", streams.connect, (BEARER,),
      rate_class="streams:sample"),
    E("streamPostsSample10", "GET", "/2/tweets/sample10/stream", streams.connect, (BEARER,),
      rate_class="streams:sample10"),
    E("streamPostsFirehose", "GET", "/2/tweets/firehose/stream", streams.connect, (BEARER,)),
    E("streamPostsFirehoseEn", "GET", "/2/tweets/firehose/stream/lang/en", streams.connect, (BEARER,)),
    E("streamPostsFirehoseJa", "GET", "/2/tweets/firehose/stream/lang/ja", streams.connect, (BEARER,)),
    E("streamPostsFirehoseKo", "GET", "/2/tweets/firehose/stream/lang/ko", streams.connect, (BEARER,)),
    E("streamPostsFirehosePt", "GET", "/2/tweets/firehose/stream/lang/pt", streams.connect, (BEARER,)),
    E("streamLikesFirehose", "GET", "/2/likes/firehose/stream", streams.connect, (BEARER,)),
    E("streamLikesSample10", "GET", "/2/likes/sample10/stream", streams.connect, (BEARER,)),
    E("streamPostsCompliance", "GET", "/2/tweets/compliance/stream", streams.connect, (BEARER,)),
    E("streamUsersCompliance", "GET", "/2/users/compliance/stream", streams.connect, (BEARER,)),
    E("streamLikesCompliance", "GET", "/2/likes/compliance/stream", streams.connect, (BEARER,)),
    E("streamLabelsCompliance", "GET", "/2/tweets/label/stream", streams.connect, (BEARER,)),
    E("activityStream", "GET", "/2/activity/stream", streams.connect, (BEARER,), rate_class="streams:activity"),
    E("getConnectionHistory", "GET", "/2/connections", stream_connections.history, (BEARER,)),
    E("deleteConnectionsByUuids", "DELETE", "/2/connections", stream_connections.kill_by_uuids, (BEARER,)),
    E("deleteAllConnections", "DELETE", "/2/connections/all", stream_connections.kill_all, (BEARER,),
      rate_class="connections:kill-all"),
    E("deleteConnectionsByEndpoint", "DELETE", "/2/connections/{endpoint_id}", stream_connections.kill_by_endpoint,
      (BEARER,)),
    E("getWebhooksStreamLinks", "GET", "/2/tweets/search/webhooks", stream_connections.links, (BEARER,)),
    E("createWebhooksStreamLink", "POST", "/2/tweets/search/webhooks/{webhook_id}", stream_connections.link,
      (BEARER,)),
    E("deleteWebhooksStreamLink", "DELETE", "/2/tweets/search/webhooks/{webhook_id}", stream_connections.unlink,
      (BEARER,)),
    # spaces
    E("getSpacesByIds", "GET", "/2/spaces", spaces.by_ids, U2_B, SPACE_READ, rate_class="spaces:lookup",
      price_class="Space"),
    E("getSpacesByCreatorIds", "GET", "/2/spaces/by/creator_ids", spaces.by_creator_ids, U2_B, SPACE_READ,
      rate_class="spaces:by-creator", price_class="Space"),
    E("searchSpaces", "GET", "/2/spaces/search", spaces.search, U2_B, SPACE_READ, rate_class="spaces:search",
      price_class="Space"),
    E("getSpacesById", "GET", "/2/spaces/{id}", spaces.by_id, U2_B, SPACE_READ, rate_class="spaces:lookup",
      price_class="Space"),
    E("getSpacesBuyers", "GET", "/2/spaces/{id}/buyers", spaces.buyers, (OAUTH2_USER,), SPACE_READ,
      rate_class="spaces:buyers", price_class="User"),
    E("getSpacesPosts", "GET", "/2/spaces/{id}/tweets", spaces.posts, U2_B, SPACE_READ, rate_class="spaces:posts",
      price_class="Post"),
    # broadcasts (X publishes no rate limits or prices for them). Chat mutes come before chat/{message_id}: the
    # router tries path patterns in the order they are first declared.
    E("listBroadcasts", "GET", "/2/broadcasts", broadcasts.list_all, USER, BC_READ),
    E("listScheduledBroadcasts", "GET", "/2/broadcasts/scheduled", broadcasts.list_scheduled, USER, BC_READ),
    E("createScheduledBroadcast", "POST", "/2/broadcasts/scheduled", broadcasts.create_scheduled, USER, BC_WRITE,
      write=True),
    E("getScheduledBroadcast", "GET", "/2/broadcasts/scheduled/{id}", broadcasts.get_scheduled, USER, BC_READ),
    E("updateScheduledBroadcast", "PUT", "/2/broadcasts/scheduled/{id}", broadcasts.update_scheduled, USER,
      BC_WRITE, write=True),
    E("deleteScheduledBroadcast", "DELETE", "/2/broadcasts/scheduled/{id}", broadcasts.delete_scheduled, USER,
      BC_WRITE, write=True),
    E("goLiveScheduledBroadcast", "POST", "/2/broadcasts/scheduled/{id}/live", broadcasts.go_live, USER, BC_WRITE,
      write=True),
    E("getBroadcast", "GET", "/2/broadcasts/{id}", broadcasts.get_one, USER, BC_READ),
    E("muteBroadcastChatUser", "POST", "/2/broadcasts/{id}/chat/mutes", broadcast_chat.mute, USER, BC_WRITE,
      write=True),
    E("unmuteBroadcastChatUser", "DELETE", "/2/broadcasts/{id}/chat/mutes/{user_id}", broadcast_chat.unmute, USER,
      BC_WRITE, write=True),
    E("getBroadcastChat", "GET", "/2/broadcasts/{id}/chat", broadcast_chat.read, USER, BC_READ),
    E("sendBroadcastChat", "POST", "/2/broadcasts/{id}/chat", broadcast_chat.send, USER, BC_WRITE, write=True),
    E("deleteBroadcastChatMessage", "DELETE", "/2/broadcasts/{id}/chat/{message_id}", broadcast_chat.delete, USER,
      BC_WRITE, write=True),
    # communities, news, articles, Community Notes, trends (notes and articles: not priced; news: not published)
    E("getCommunitiesById", "GET", "/2/communities/{id}", communities.get_one, READ, COMMUNITY_READ,
      rate_class="communities:lookup", price_class="Community"),
    E("searchCommunities", "GET", "/2/communities/search", communities.search, USER, T_READ,
      rate_class="communities:search", price_class="Community"),
    E("getNews", "GET", "/2/news/{id}", news.get_one, READ, T_READ, rate_class="news:lookup"),
    E("searchNews", "GET", "/2/news/search", news.search, READ, T_READ, rate_class="news:search"),
    E("articleCreateDraft", "POST", "/2/articles/draft", articles.create_draft, USER, NOTES_WRITE, write=True,
      rate_class="articles:write"),
    E("articlePublish", "POST", "/2/articles/{article_id}/publish", articles.publish, USER, NOTES_WRITE,
      write=True, rate_class="articles:write"),
    E("createCommunityNotes", "POST", "/2/notes", notes.create, USER, NOTES_WRITE, write=True,
      rate_class="notes:write"),
    E("deleteCommunityNotes", "DELETE", "/2/notes/{id}", notes.delete, USER, NOTES_WRITE, write=True,
      rate_class="notes:write"),
    E("evaluateCommunityNotes", "POST", "/2/notes/evaluate", notes.evaluate, USER, NOTES_WRITE, write=True,
      rate_class="notes:evaluate"),
    E("searchCommunityNotesWritten", "GET", "/2/notes/search/notes_written", notes.written, USER, NOTES_READ,
      rate_class="notes:read"),
    E("searchEligiblePosts", "GET", "/2/notes/search/posts_eligible_for_notes", notes.eligible_posts, USER,
      NOTES_READ, rate_class="notes:read"),
    E("getTrendsByWoeid", "GET", "/2/trends/by/woeid/{woeid}", trends.by_woeid, (OAUTH2_USER, BEARER),
      rate_class="trends:woeid", price_class="Trends"),
    E("getTrendsPersonalizedTrends", "GET", "/2/users/personalized_trends", trends.personalized, USER, T_READ,
      rate_class="trends:personalized", price_class="Trends"),
    # compliance jobs (app-only, unbilled: n/p in X's price list), media lookup and subtitles
    E("createComplianceJobs", "POST", "/2/compliance/jobs", compliance_jobs.create, (BEARER,),
      rate_class="compliance:jobs"),
    E("getComplianceJobs", "GET", "/2/compliance/jobs", compliance_jobs.list_, (BEARER,),
      rate_class="compliance:jobs"),
    E("getComplianceJobsById", "GET", "/2/compliance/jobs/{id}", compliance_jobs.get_one, (BEARER,),
      rate_class="compliance:jobs"),
    E("getMediaByMediaKeys", "GET", "/2/media", media_lookup.by_keys, READ, ("tweet.read",),
      rate_class="media:lookup", price_class="Media"),
    E("getMediaByMediaKey", "GET", "/2/media/{media_key}", media_lookup.by_key, READ, ("tweet.read",),
      rate_class="media:lookup", price_class="Media"),
    E("createMediaSubtitles", "POST", "/2/media/subtitles", media_lookup.create_subtitles, USER, MEDIA,
      write=True, rate_class="media:subtitles", price_class="MediaMetadata"),
    E("deleteMediaSubtitles", "DELETE", "/2/media/subtitles", media_lookup.delete_subtitles, USER, MEDIA,
      write=True, rate_class="media:subtitles", price_class="MediaMetadata"),
]
# fmt: on

# The storage host's signed URLs of compliance jobs (X's are on storage.googleapis.com; the simulator serves
# them under the same paths): no X credentials, the signature in the query is the job's.
for _bucket in ("twttr-tweet-compliance", "twttr-user-compliance"):
    ENDPOINTS.append(E("complianceJobUpload", "PUT", f"/{_bucket}/{{job_id}}/submission/{{name}}",
                       compliance_jobs.upload, (NONE,), surface="storage"))
    ENDPOINTS.append(E("complianceJobDownload", "GET", f"/{_bucket}/{{job_id}}/delivery/{{name}}",
                       compliance_jobs.download, (NONE,), surface="storage"))

# The consent screens live on x.com; clients build these URLs for a browser.
for _path in ("/oauth/authorize", "/oauth/authenticate", "/i/oauth/authorize", "/i/oauth/authenticate"):
    ENDPOINTS.append(E("oauthConsent", "GET", _path, flow.authorize_page, (NONE,), surface="oauth"))
    ENDPOINTS.append(E("oauthConsentDecision", "POST", _path, flow.authorize_decision, (NONE,), surface="oauth"))
for _path in ("/i/oauth2/authorize", "/2/oauth2/authorize"):
    ENDPOINTS.append(E("oauth2Consent", "GET", _path, authorize.page, (NONE,), surface="oauth"))
    ENDPOINTS.append(E("oauth2ConsentDecision", "POST", _path, authorize.decision, (NONE,), surface="oauth"))
