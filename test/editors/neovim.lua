-- Neovim's built-in LSP client against nix-ai-ls, headless. Run by test/editors/neovim.test.ts:
-- opens $NIX_AI_FILE, asks the server what an editor asks, writes the answers to $NIX_AI_OUT as JSON.
local out = {}

local function wait_for(what, ready)
  if not vim.wait(20000, ready, 20) then error('timed out waiting for ' .. what) end
end

local function at(row, needle, delta)
  local line = vim.api.nvim_buf_get_lines(0, row - 1, row, true)[1]
  local col = assert(line:find(needle, 1, true), needle .. ' not on line ' .. row) - 1 + (delta or 0)
  vim.api.nvim_win_set_cursor(0, { row, col })
  return vim.lsp.util.make_position_params()
end

local function request(method, params)
  local answers, err = vim.lsp.buf_request_sync(0, method, params, 10000)
  if not answers then error(method .. ': ' .. tostring(err)) end
  for _, a in pairs(answers) do
    local failed = a.err or a.error -- `error` in Neovim 0.7, `err` from 0.8
    if failed then return nil, failed.message end
    return a.result
  end
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.NIX_AI_FILE))
  local client_id = vim.lsp.start_client({
    name = 'nix-ai',
    cmd = { vim.env.NIX_AI_NODE, vim.env.NIX_AI_SERVER, '--stdio' },
    root_dir = vim.fn.fnamemodify(vim.env.NIX_AI_FILE, ':h'),
    init_options = { settings = { options = { load = false }, formatter = { command = { 'sed', 's/allowUnfree = true/allowUnfree = false/' } } } },
  })
  vim.lsp.buf_attach_client(0, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  out.server = client.name

  wait_for('diagnostics', function() return #vim.diagnostic.get(0) > 0 end)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out.diagnostics, { line = d.lnum, code = d.user_data and d.user_data.lsp and d.user_data.lsp.code, message = d.message })
  end

  local completion = request('textDocument/completion', at(8, 'open'))
  out.completion = {}
  for _, item in ipairs(completion.items or completion) do table.insert(out.completion, item.label) end

  local hover = request('textDocument/hover', at(6, 'allowUnfree', 2))
  out.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL

  local definition = request('textDocument/definition', at(10, 'cuda.'))
  local location = definition[1] or definition
  out.definition = { line = location.range.start.line, character = location.range.start.character }

  local edit = request('textDocument/rename', vim.tbl_extend('force', at(10, 'cuda.'), { newName = 'cudaPkgs' }))
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  local _, refused = request('textDocument/rename', vim.tbl_extend('force', at(1, 'pkgs'), { newName = 'p' }))
  out.refused = refused or vim.NIL

  vim.lsp.buf.formatting_sync(nil, 10000)
  out.text = vim.api.nvim_buf_get_lines(0, 0, -1, true)

  -- Neovim sent the edits as incremental changes: the server's copy has the new name where it was
  local after = request('textDocument/definition', at(10, 'cudaPkgs.'))
  out.definitionAfterEdits = (after[1] or after).range.start

  -- through a flake input: gpu.nixosModules.tuned is tuned.nix in the input's locked source
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.NIX_AI_FLAKE))
  vim.lsp.buf_attach_client(0, client_id)
  local through = request('textDocument/definition', at(4, 'tuned', 1))
  out.inputDefinition = (through[1] or through).uri
end

local ok, err = pcall(run)
if not ok then out.error = tostring(err) end
local f = assert(io.open(vim.env.NIX_AI_OUT, 'w'))
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd(ok and 'qa!' or 'cq!')
