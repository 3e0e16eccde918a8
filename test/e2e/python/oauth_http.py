"""Signs in with the official MCP Python SDK's OAuth client and calls a tool on a remote (HTTP) server.

Usage: python oauth_http.py <mcp_url> <client_id> <login_hint> <mode>
The SDK's OAuthClientProvider, with a pre-registered public client id (Entra offers no dynamic registration),
discovers the authorization server from the server's 401 and its protected-resource metadata, then runs
authorization code + PKCE. The "browser" here follows the authorization URL with `login_hint` added (the sandbox's
Entra signs that person in at once) and hands the redirect's code back to the SDK.
<mode> is the SDK's connect mode: a protocol version to pin (2026-07-28) or 'legacy'.
Prints one JSON object: the negotiated version, what the authorization request carried, the SHA-256 of the access
token the client sent (never the token), and the tool call's result.
"""

import asyncio
import hashlib
import json
import sys
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import httpx2
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

REDIRECT = "http://127.0.0.1:33418/callback"


class MemoryStorage:
    """The SDK's TokenStorage, in memory, holding the pre-registered client."""

    def __init__(self, client_id: str) -> None:
        self.tokens: OAuthToken | None = None
        self.client = OAuthClientInformationFull(client_id=client_id, redirect_uris=[REDIRECT], token_endpoint_auth_method="none")

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


async def main() -> None:
    url, client_id, user, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    storage = MemoryStorage(client_id)
    seen: dict[str, dict[str, str]] = {}

    async def redirect_handler(authorization_url: str) -> None:
        parts = urlparse(authorization_url)
        query = parse_qs(parts.query)
        seen["authorize"] = {k: v[0] for k, v in query.items() if k in ("client_id", "code_challenge_method", "scope", "resource")}
        query["login_hint"] = [user]
        async with httpx2.AsyncClient() as browser:
            answer = await browser.get(urlunparse(parts._replace(query=urlencode(query, doseq=True))), follow_redirects=False)
        if answer.status_code != 302:
            raise RuntimeError(f"the authorization endpoint answered {answer.status_code}: {answer.text}")
        seen["callback"] = {k: v[0] for k, v in parse_qs(urlparse(answer.headers["location"]).query).items()}

    async def callback_handler() -> AuthorizationCodeResult:
        cb = seen["callback"]
        return AuthorizationCodeResult(code=cb["code"], state=cb.get("state"), iss=cb.get("iss"))

    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(
            client_name="python-oauth-test",
            redirect_uris=[REDIRECT],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage,
        redirect_handler=redirect_handler,
        callback_handler=callback_handler,
    )
    async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30, read=60)) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode) as client:
            result = await client.call_tool("ol_email_list_unread", {"limit": 5})
            version = client.protocol_version
    token = storage.tokens.access_token if storage.tokens else ""
    print(
        json.dumps(
            {
                "protocol_version": version,
                "authorize": seen.get("authorize", {}),
                "token_sha256": hashlib.sha256(token.encode()).hexdigest() if token else None,
                "is_error": bool(result.is_error),
                "structured": result.structured_content,
            }
        )
    )


asyncio.run(main())
