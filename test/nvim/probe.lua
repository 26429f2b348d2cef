-- Drives the Literature Digest language server from Neovim's built-in LSP client (0.7+), headless:
--
--   LITDIGEST_SERVER=/abs/dist/server.js LITDIGEST_ROOT=/abs/workspace \
--     nvim --headless -u NONE -c 'luafile test/nvim/probe.lua'
--
-- The workspace must hold `tulu.digest.txt` (a copy of test/fixtures/tulu-search.txt) and
-- `notes/reading.md` (a note citing `@camels-changing-climate2023`, with a line ending in `@tul`
-- and another ending in `@tulu`).
-- Optional: LITDIGEST_NODE (node binary, default `node`), LITDIGEST_TIMEOUT_MS (per wait, 20000).
--
-- Checks: initialize, indexing (literatureDigest/status), documentSymbol, hover, completion after
-- `@tul` and `@tulu`, definition, incremental didChange of Neovim edits, clean shutdown, and no
-- errors from the server (error-type log messages, stderr lines in Neovim's LSP log). Also reports,
-- without asserting, what Neovim 0.7's omnifunc keeps of the completion and whether settings pushed
-- with workspace/didChangeConfiguration take effect.
--
-- Prints `ok <check>: <detail>` lines and a final `SUMMARY <json>` line on stdout, and exits 0.
-- On any failure prints `FAIL <message>` (with the server's messages and stderr log) on stderr and
-- exits 1 via `cquit`. Any Lua error is caught, so the editor never stays open.

local TIMEOUT = tonumber(os.getenv('LITDIGEST_TIMEOUT_MS') or '') or 20000
local summary = { checks = {}, info = {} }
local server_messages = {} -- window/logMessage and window/showMessage from the server
local client_errors = {} -- on_error callbacks of the RPC client
local status = nil -- last literatureDigest/status notification
local exited = nil -- { code, signal } once the server process is gone
local client_id = nil
local server_errors = {} -- messages of type Error among them

local MESSAGE_TYPES = { 'error', 'warning', 'info', 'log' }
local function record(kind, result)
  result = result or {}
  local line = ('%s %s: %s'):format(kind, MESSAGE_TYPES[result.type] or tostring(result.type), tostring(result.message))
  server_messages[#server_messages + 1] = line
  if result.type == 1 then server_errors[#server_errors + 1] = line end
end

local function encode(value)
  if vim.json and vim.json.encode then return vim.json.encode(value) end
  return vim.fn.json_encode(value)
end

local function out(line) io.stdout:write(line, '\n') io.stdout:flush() end

local function fail(message)
  error({ probe_failure = message }, 0)
end

local function check(condition, message)
  if not condition then fail(message) end
end

local function ok(name, detail)
  summary.checks[#summary.checks + 1] = name
  out(('ok %s: %s'):format(name, detail or ''))
end

local function env(name)
  local value = os.getenv(name)
  check(value and value ~= '', ('environment variable %s is not set'):format(name))
  return value
end

local function basename(path) return (path:gsub('.*/', '')) end

--- Sends a request through the client attached to `bufnr`, fails on error, timeout or no answer.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  check(responses ~= nil, ('%s: no response (%s)'):format(method, tostring(err)))
  local response = responses[client_id]
  check(response ~= nil, ('%s: the literature-digest client did not answer'):format(method))
  check(response.err == nil, ('%s: server error %s'):format(method, encode(response.err or {})))
  return response.result
end

--- Opens `path` in a new buffer with `filetype` and returns the buffer number.
local function open(path, filetype)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = filetype
  return bufnr
end

--- Shows `bufnr` in the current window with the cursor at 0-based `line` and byte `col`; returns
--- the LSP position params Neovim makes for it.
local function at(bufnr, line, col)
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  return vim.lsp.util.make_position_params()
end

--- 0-based line and byte column of the first `needle` (plain text) in buffer `bufnr`; unless
--- `anywhere`, one not followed by another key character (so `@tul` does not match `@tulu`).
local function find(bufnr, needle, anywhere)
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local from = 1
    while true do
      local col = text:find(needle, from, true)
      if not col then break end
      if anywhere or not text:sub(col + #needle, col + #needle):match('[%w_:.#$%%&+?<>~/-]') then return i - 1, col - 1 end
      from = col + 1
    end
  end
  fail(('%q not found in %s'):format(needle, vim.api.nvim_buf_get_name(bufnr)))
end

local function main()
  local server = env('LITDIGEST_SERVER')
  local root = env('LITDIGEST_ROOT')
  local node = os.getenv('LITDIGEST_NODE') or 'node'
  local digest_path = root .. '/tulu.digest.txt'
  local note_path = root .. '/notes/reading.md'
  check(vim.fn.filereadable(server) == 1, 'server not found: ' .. server)
  check(vim.fn.filereadable(digest_path) == 1, 'digest not found: ' .. digest_path)
  check(vim.fn.filereadable(note_path) == 1, 'note not found: ' .. note_path)
  summary.info.nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch

  -- Only log lines written from now on count (the log may be shared with other sessions).
  local log_path = vim.lsp.get_log_path()
  local log_start = vim.fn.filereadable(log_path) == 1 and #vim.fn.readfile(log_path) or 0

  local digest = open(digest_path, 'paper-digest')

  local started = vim.loop.hrtime()
  client_id = vim.lsp.start_client({
    name = 'literature-digest',
    cmd = { node, server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'probe' } },
    handlers = {
      ['literatureDigest/status'] = function(_, result) status = result end,
      ['window/logMessage'] = function(_, result) record('log', result) end,
      ['window/showMessage'] = function(_, result) record('show', result) end,
    },
    on_error = function(code, err)
      client_errors[#client_errors + 1] = ('%s %s'):format(vim.lsp.rpc.client_errors[code] or code, vim.inspect(err))
    end,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  check(client_id ~= nil, 'vim.lsp.start_client returned nil (could not start ' .. node .. ')')
  check(vim.lsp.buf_attach_client(digest, client_id), 'could not attach the client to the digest buffer')

  local client
  check(vim.wait(TIMEOUT, function()
    client = vim.lsp.get_client_by_id(client_id)
    return exited ~= nil or (client ~= nil and client.initialized)
  end, 20), 'the server did not finish initialize within ' .. TIMEOUT .. ' ms')
  check(exited == nil, 'the server exited during initialize: ' .. encode(exited or {}))
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  summary.info.initialized_ms = math.floor((vim.loop.hrtime() - started) / 1e6)
  ok('initialize', ('in %d ms, offset encoding %s'):format(summary.info.initialized_ms, tostring(client.offset_encoding)))

  check(vim.wait(TIMEOUT, function()
    return exited ~= nil or (status ~= nil and status.indexing == false and status.papers == 25)
  end, 20), 'the workspace was not indexed (want 25 papers, indexing false); last status: ' .. encode(status or vim.NIL))
  check(exited == nil, 'the server exited while indexing: ' .. encode(exited))
  summary.info.status = status
  ok('indexed', encode(status))

  -- Outline of the digest: one symbol per paper.
  local symbols = request(digest, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params(digest) })
  check(type(symbols) == 'table', 'documentSymbol: no result')
  check(#symbols == 25, ('documentSymbol: want 25 symbols, got %d'):format(#symbols))
  local camels
  for _, symbol in ipairs(symbols) do
    if symbol.name == 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2' then camels = symbol end
  end
  check(camels ~= nil, 'documentSymbol: no symbol named "Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2"')
  local camels_line = (camels.selectionRange or camels.range or camels.location.range).start.line
  check(camels_line == 4, ('documentSymbol: Camels symbol on line %d, want 4'):format(camels_line))
  -- Neovim's own conversion (what :lua vim.lsp.buf.document_symbol() puts in the location list).
  local symbol_items = vim.lsp.util.symbols_to_items(symbols, digest)
  check(#symbol_items == 25, ('symbols_to_items: want 25 items, got %d'):format(#symbol_items))
  ok('documentSymbol', ('%d symbols, Camels on line %d'):format(#symbols, camels_line))

  -- Hover on the Camels entry.
  local hover = request(digest, 'textDocument/hover', at(digest, 4, 10))
  check(type(hover) == 'table' and hover.contents ~= nil, 'hover: no result on line 4')
  local contents = hover.contents
  check(type(contents) == 'table' and contents.kind == 'markdown', 'hover: want MarkupContent of kind markdown, got ' .. encode(contents))
  check(contents.value:find('camels-changing-climate2023', 1, true) ~= nil, 'hover: markdown lacks "camels-changing-climate2023": ' .. contents.value:sub(1, 300))
  local hover_lines = vim.lsp.util.trim_empty_lines(vim.lsp.util.convert_input_to_markdown_lines(contents))
  check(#hover_lines > 0 and hover_lines[1]:find('Camels in a Changing Climate', 1, true), 'hover: first rendered line is ' .. encode(hover_lines[1] or vim.NIL))
  ok('hover', ('%d chars, %d lines, first: %s'):format(#contents.value, #hover_lines, hover_lines[1]))

  -- The note: attach, then complete after `@tul` and go to the definition of a citation.
  local note = open(note_path, 'markdown')
  check(vim.lsp.buf_attach_client(note, client_id), 'could not attach the client to the note buffer')

  -- After `@tul` the fuzzy ranking puts other keys first (reported); after `@tulu` Camels leads.
  local function complete(needle, want_camels)
    local line, col = find(note, needle)
    local result = request(note, 'textDocument/completion', at(note, line, col + #needle))
    check(type(result) == 'table', ('completion: no result after %s (is the note indexed as a note?)'):format(needle))
    local list = result.items or result
    check(#list > 0, 'completion: no items after ' .. needle)
    local labels = {}
    for i, item in ipairs(list) do labels[i] = item.label end
    check(want_camels == false or vim.tbl_contains(labels, 'camels-changing-climate2023'), ('completion: camels-changing-climate2023 not among the items after %s: %s'):format(needle, encode(labels)))
    return result, list, labels
  end

  local tul, tul_items, tul_labels = complete('@tul')
  summary.info.completion_tul = { first = tul_labels[1], count = #tul_labels, incomplete = tul.isIncomplete or false, labels = tul_labels }
  if tul_labels[1] ~= 'camels-changing-climate2023' then
    out(('note completion after @tul: first item is %s, camels-changing-climate2023 is item %d of %d'):format(
      tul_labels[1], vim.fn.index(tul_labels, 'camels-changing-climate2023') + 1, #tul_labels))
  end
  -- What Neovim 0.7's own omnifunc would offer for the typed prefix "tul": it keeps only items
  -- whose insert text starts with the prefix (it ignores filterText). Reported, not asserted.
  local nvim_words = {}
  for _, match in ipairs(vim.lsp.util.text_document_completion_list_to_complete_items(tul, 'tul')) do
    nvim_words[#nvim_words + 1] = match.word
  end
  summary.info.omnifunc_words_for_tul = nvim_words
  ok('completion @tul', ('%d items, camels-changing-climate2023 among them, first %s'):format(#tul_items, tul_labels[1]))

  local tulu, _, tulu_labels = complete('@tulu')
  check(tulu_labels[1] == 'camels-changing-climate2023', ('completion: first item after @tulu is %q, want camels-changing-climate2023 (items: %s)'):format(tulu_labels[1], encode(tulu_labels)))
  local first = (tulu.items or tulu)[1]
  check(first.detail == 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2', 'completion: detail of the first item is ' .. encode(first.detail or vim.NIL))
  summary.info.completion_tulu = { first = tulu_labels[1], count = #tulu_labels }
  ok('completion @tulu', ('%d items, first %s'):format(#tulu_labels, tulu_labels[1]))

  local cite_line, cite_col = find(note, '@camels-changing-climate2023')
  local definition = request(note, 'textDocument/definition', at(note, cite_line, cite_col + 3))
  check(type(definition) == 'table', 'definition: no result on the citation')
  if definition.uri or definition.targetUri then definition = { definition } end
  check(#definition > 0, 'definition: no locations for @camels-changing-climate2023')
  local found = {}
  local in_digest
  for _, location in ipairs(definition) do
    local uri = location.uri or location.targetUri
    local range = location.range or location.targetSelectionRange or location.targetRange
    found[#found + 1] = ('%s:%d'):format(basename(vim.uri_to_fname(uri)), range.start.line)
    if vim.uri_to_fname(uri) == vim.fn.resolve(digest_path) or basename(vim.uri_to_fname(uri)) == 'tulu.digest.txt' then
      if range.start.line == 4 then in_digest = location end
    end
  end
  check(in_digest ~= nil, 'definition: want tulu.digest.txt line 4, got ' .. encode(found))
  -- Neovim's own conversion (what vim.lsp.buf.definition() would jump to / list).
  local loc_items = vim.lsp.util.locations_to_items(definition, client.offset_encoding)
  local jumps_to_digest = false
  for _, item in ipairs(loc_items) do
    if basename(item.filename) == 'tulu.digest.txt' and item.lnum == 5 then jumps_to_digest = true end
  end
  check(jumps_to_digest, 'locations_to_items: no item for tulu.digest.txt:5, got ' .. encode(loc_items))
  summary.info.definition = found
  ok('definition', encode(found))

  -- Edits in the editor reach the server as Neovim's incremental didChange events.
  vim.api.nvim_set_current_buf(digest)
  vim.bo[digest].readonly = false -- the copy may keep the fixture's read-only mode; nothing is written
  local maxmin_line, maxmin_col = find(digest, 'MaxMin-RLHF', true)
  vim.api.nvim_buf_set_text(digest, maxmin_line, maxmin_col, maxmin_line, maxmin_col + #'MaxMin', { 'MinMax' })
  vim.api.nvim_buf_set_lines(digest, 0, 0, false, { '' })
  local edited = request(digest, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params(digest) })
  check(type(edited) == 'table' and #edited == 25, ('didChange: want 25 symbols after the edits, got %s'):format(type(edited) == 'table' and #edited or encode(edited)))
  local renamed, moved
  for _, symbol in ipairs(edited) do
    local line = (symbol.selectionRange or symbol.range).start.line
    if symbol.name:find('^MinMax%-RLHF: Towards Equitable Alignment') then renamed = line end
    if symbol.name == 'Camels in a Changing Climate: Enhancing LM Adaptation with Tulu 2' then moved = line end
  end
  check(renamed == maxmin_line + 1, ('didChange: want the renamed MinMax-RLHF entry on line %d, got %s'):format(maxmin_line + 1, encode(renamed or vim.NIL)))
  check(moved == 5, ('didChange: want Camels on line 5 after inserting a line above, got %s'):format(encode(moved or vim.NIL)))
  ok('didChange', ('MinMax-RLHF on line %d, Camels on line %d'):format(renamed, moved))

  -- Neovim 0.7 does not advertise workspace.configuration; its documented way to hand settings to a
  -- server is a workspace/didChangeConfiguration notification with them, which the server honours.
  client.notify('workspace/didChangeConfiguration', { settings = { literatureDigest = { completion = { maxItems = 3 } } } })
  local _, pushed_items = complete('@tul', false)
  summary.info.pushed_settings_maxItems_3_gives = #pushed_items
  check(#pushed_items == 3, ('pushed settings: completion.maxItems = 3 should give 3 items, got %d'):format(#pushed_items))
  ok('pushed settings', 'completion.maxItems = 3 gives 3 items')

  check(#client_errors == 0, 'RPC client errors: ' .. table.concat(client_errors, '; '))
  check(#server_errors == 0, 'the server reported errors: ' .. table.concat(server_errors, '; '))
  check(exited == nil, 'the server exited during the requests: ' .. encode(exited))

  -- Orderly shutdown (shutdown request + exit notification) and a clean exit of the server.
  client.stop()
  check(vim.wait(5000, function() return exited ~= nil end, 20), 'the server did not exit within 5 s of shutdown/exit')
  summary.info.server_exit = exited
  check(exited.code == 0 and (exited.signal or 0) == 0, 'the server exited with ' .. encode(exited))
  ok('shutdown', encode(exited))
  -- Neovim logs what the server writes to stderr, and RPC trouble, at ERROR level.
  local log_errors = {}
  if vim.fn.filereadable(log_path) == 1 then
    for i, line in ipairs(vim.fn.readfile(log_path)) do
      if i > log_start and line:find('[ERROR]', 1, true) then log_errors[#log_errors + 1] = line end
    end
  end
  check(#log_errors == 0, 'errors in the LSP log ' .. log_path .. ':\n' .. table.concat(log_errors, '\n'))
  summary.info.server_messages = server_messages
end

local function lsp_log_tail()
  local ok_path, path = pcall(vim.lsp.get_log_path)
  if not ok_path or vim.fn.filereadable(path) == 0 then return '' end
  local lines = vim.fn.readfile(path)
  return table.concat(vim.list_slice(lines, math.max(1, #lines - 40)), '\n')
end

local success, err = xpcall(main, function(e)
  if type(e) == 'table' and e.probe_failure then return e.probe_failure end
  return debug.traceback(tostring(e), 2)
end)

if success then
  out('SUMMARY ' .. encode(summary))
  vim.cmd('qall!')
else
  io.stderr:write('\nFAIL ', tostring(err), '\n')
  if #server_messages > 0 then io.stderr:write('server messages:\n  ', table.concat(server_messages, '\n  '), '\n') end
  if #client_errors > 0 then io.stderr:write('client errors:\n  ', table.concat(client_errors, '\n  '), '\n') end
  if exited then io.stderr:write('server exit: ', encode(exited), '\n') end
  local log = lsp_log_tail()
  if log ~= '' then io.stderr:write('lsp.log (', vim.lsp.get_log_path(), ') tail:\n', log, '\n') end
  io.stderr:flush()
  if client_id then pcall(vim.lsp.stop_client, client_id, true) end
  vim.cmd('cquit 1')
end
