from django.urls import path

from xieshang.accounts.views import login, tokens

app_name = "accounts"
urlpatterns = [
    path("login/", login.login_view, name="login"),
    path("logout/", login.logout_view, name="logout"),
    path("elder-mode/", login.elder_mode, name="elder_mode"),
    path("profile/", login.profile, name="profile"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]
