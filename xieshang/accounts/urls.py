from django.urls import path

from xieshang.accounts.views import login, password, second_factor, tokens, unlock

app_name = "accounts"
urlpatterns = [
    path("login/", login.login_view, name="login"),
    path("login/code/", login.login_code, name="login_code"),
    path("logout/", login.logout_view, name="logout"),
    path("unlock/", unlock.unlock_request, name="unlock"),
    path("unlock/code/", unlock.unlock_code, name="unlock_code"),
    path("elder-mode/", login.elder_mode, name="elder_mode"),
    path("profile/", login.profile, name="profile"),
    path("password/", password.password_change, name="password_change"),
    path("second-factor/", second_factor.second_factor, name="second_factor"),
    path("second-factor/remove/", second_factor.second_factor_remove, name="second_factor_remove"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token_revoke"),
]
