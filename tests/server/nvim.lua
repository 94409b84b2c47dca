-- Driven by tests/server/nvim.sh: Neovim's own LSP client against `s3lint server`.
local out = {}
local function log(s) table.insert(out, s) end
local function finish(ok)
  log(ok and "ok" or "failed")
  local f = io.open(os.getenv("RESULT"), "w")
  f:write(table.concat(out, "\n") .. "\n")
  f:close()
  vim.cmd(ok and "qall!" or "cquit! 1")
end
local function check(cond, what)
  if not cond then
    log("FAIL: " .. what)
    finish(false)
    error(what)
  end
  log("pass: " .. what)
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("FILE")))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = "s3lint", cmd = { os.getenv("S3LINT_BIN_ABS"), "server" },
                                     root_dir = vim.fn.getcwd() })
  check(id ~= nil, "the server starts")
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  check(vim.wait(20000, function() return client.initialized end, 50), "initialize")

  -- Non-ASCII text typed before the misspelt key: an incremental change in the negotiated encoding.
  local key = "fs.s3a.connection.maxium"
  local row, col
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local c = l:find(key, 1, true)
    if c then row, col = i - 1, c - 1 end
  end
  check(row ~= nil, "the fixture has the misspelt key")
  local prefix = "<!-- café 𝄞 -->"
  vim.api.nvim_buf_set_text(buf, row, col - #"<name>", row, col - #"<name>", { prefix })
  col = col + #prefix

  -- Wait for the diagnostics of the edited text (those of the opened file come first).
  local found
  vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == "unknown-key" and d.message:find(key, 1, true) and d.lnum == row then found = d end
    end
    return found ~= nil and found.col ~= col - #prefix
  end, 50)
  check(found ~= nil, "a diagnostic for " .. key .. " with its rule id")
  check(found.col == col, "its column counts past the non-ASCII text (byte " .. col .. ", got " .. tostring(found.col) .. ")")

  -- The cursor on the key, as the client encodes it.
  vim.api.nvim_win_set_cursor(0, { row + 1, col + 3 })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)

  -- The quick fix, applied by Neovim.
  -- At the cursor, as `vim.lsp.buf.code_action()` asks.
  local range = { start = params.position, ["end"] = params.position }
  local actions = client.request_sync("textDocument/codeAction",
    { textDocument = params.textDocument, range = range, context = { diagnostics = {} } }, 10000, buf)
  local edit
  for _, a in ipairs(actions and actions.result or {}) do
    if a.edit then edit = a.edit end
  end
  check(edit ~= nil, "a quick fix")
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  check(line == "    " .. prefix .. "<name>fs.s3a.connection.maximum</name>", "the fix renames the key: " .. line)
  local gone = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:find(key, 1, true) then return false end
    end
    return true
  end, 50)
  check(gone, "the finding is gone after the fix")

  -- Hover on the corrected key.
  local hover = client.request_sync("textDocument/hover", params, 10000, buf)
  local text = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
  check(text:find("**default**: `500`", 1, true) ~= nil, "hover shows the default of fs.s3a.connection.maximum")

  -- Completion of a key being typed.
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "<name>fs.s3a.endp" })
  local cparams = { textDocument = params.textDocument, position = { line = 0, character = #"<name>fs.s3a.endp" } }
  local completion = client.request_sync("textDocument/completion", cparams, 10000, buf)
  local labels = {}
  for _, item in ipairs(completion and completion.result or {}) do labels[item.label] = true end
  check(labels["fs.s3a.endpoint"], "completion offers fs.s3a.endpoint")

  -- shutdown and exit: the server stops cleanly.
  vim.lsp.stop_client(id)
  check(vim.wait(10000, function() return client.is_stopped() end, 50), "the server stops after shutdown and exit")
  finish(true)
end)
if not ok then
  log("error: " .. tostring(err))
  finish(false)
end
