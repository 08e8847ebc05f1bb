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
    bookmarks,
    engagement,
    legacy,
    list_members,
    lists,
    media_v1,
    media_v2,
    openapi,
    posts,
    search,
    usage,
    users,
)
from xmock.simulator.resources.owned import owned_or

USER = (OAUTH1_USER, OAUTH2_USER)
READ = (OAUTH1_USER, OAUTH2_USER, BEARER)
T_READ = ("tweet.read", "users.read")
T_WRITE = ("tweet.read", "tweet.write", "users.read")
LIKE_WRITE = ("like.write", "tweet.read", "users.read")
MEDIA = ("media.write",)

# lists and bookmarks: OAuth 2.0 scopes as the spec's `security` gives them
L_READ = ("list.read", "tweet.read", "users.read")
L_WRITE = ("list.write", "tweet.read", "users.read")
L_CREATE = ("list.read", "list.write", "tweet.read", "users.read")
B_READ = ("bookmark.read", "tweet.read", "users.read")
B_WRITE = ("bookmark.write", "tweet.read", "users.read")
B_FOLDERS_READ = ("bookmark.read", "users.read")
B_FOLDERS_WRITE = ("bookmark.write", "users.read")

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
      price_class="Post", price_refine=posts.timeline_price),
    # users
    E("getUsersMe", "GET", "/2/users/me", users.me, USER, T_READ, rate_class="users:me", price_class="User"),
    E("getUsersById", "GET", "/2/users/{id}", users.by_id, READ, T_READ, rate_class="users:lookup",
      price_class="User"),
    E("getUsersByUsername", "GET", "/2/users/by/username/{username}", users.by_username, READ, T_READ,
      rate_class="users:lookup", price_class="User"),
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
]
# fmt: on

# The consent screens live on x.com; clients build these URLs for a browser.
for _path in ("/oauth/authorize", "/oauth/authenticate", "/i/oauth/authorize", "/i/oauth/authenticate"):
    ENDPOINTS.append(E("oauthConsent", "GET", _path, flow.authorize_page, (NONE,), surface="oauth"))
    ENDPOINTS.append(E("oauthConsentDecision", "POST", _path, flow.authorize_decision, (NONE,), surface="oauth"))
for _path in ("/i/oauth2/authorize", "/2/oauth2/authorize"):
    ENDPOINTS.append(E("oauth2Consent", "GET", _path, authorize.page, (NONE,), surface="oauth"))
    ENDPOINTS.append(E("oauth2ConsentDecision", "POST", _path, authorize.decision, (NONE,), surface="oauth"))
