"""Lists the tools of the built binary with the official MCP Python SDK.

Usage: python list_tools.py <node> <main.js> <mode>
<mode> is a protocol version to pin (e.g. 2026-07-28), 'auto' or 'legacy'.
Prints one JSON object: the negotiated version, the tool names and a status call's result.
"""

import asyncio
import json
import os
import sys

from mcp import Client, StdioServerParameters


async def main() -> None:
    node, main_js, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    # Only what the server needs: the test's own cache folder and zone, never the developer's profile.
    env = {k: v for k, v in os.environ.items() if k.startswith("OUTLOOK_") or k in ("PATH", "HOME")}
    params = StdioServerParameters(command=node, args=[main_js, "--sandbox"], env=env)
    async with Client(params, mode=mode) as client:
        tools = await client.list_tools()
        status = await client.call_tool("ol_status", {})
        print(
            json.dumps(
                {
                    "protocol_version": client.protocol_version,
                    "tools": [t.name for t in tools.tools],
                    "status": status.structured_content,
                    "is_error": bool(status.is_error),
                }
            )
        )


asyncio.run(main())
