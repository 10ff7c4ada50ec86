-- Neovim's built-in LSP client attached to `rampart server`: opens the files it is given, waits until
-- each has diagnostics, and writes what it received as JSON. Written for Neovim 0.7 and later
-- (`vim.lsp.start_client` and `vim.lsp.buf_attach_client` where `vim.lsp.start` is missing;
-- `vim.diagnostic.get`).
--
-- Environment: RAMPART_BIN (the rampart binary), RAMPART_ROOT (the workspace folder),
-- RAMPART_FILES (the files to open, one a line), RAMPART_OUT (where to write the JSON),
-- RAMPART_TIMEOUT_MS (how long to wait for diagnostics).

local function lines(text)
  local out = {}
  for line in string.gmatch(text or '', '[^\n]+') do
    table.insert(out, line)
  end
  return out
end

local function run()
  local files = lines(os.getenv('RAMPART_FILES'))
  local timeout = tonumber(os.getenv('RAMPART_TIMEOUT_MS') or '20000')
  local exit_code
  local config = {
    name = 'rampart',
    cmd = { os.getenv('RAMPART_BIN'), 'server' },
    root_dir = os.getenv('RAMPART_ROOT'),
    on_exit = function(code)
      exit_code = code
    end,
  }
  local client_id
  local buffers = {}
  for _, path in ipairs(files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local buffer = vim.api.nvim_get_current_buf()
    if vim.lsp.start then
      -- 0.8 and later: one client per name and folder, attached to the current buffer.
      client_id = vim.lsp.start(config)
    else
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(buffer, client_id)
    end
    assert(client_id, 'the client did not start')
    buffers[path] = buffer
  end
  local complete = vim.wait(timeout, function()
    for _, buffer in pairs(buffers) do
      if #vim.diagnostic.get(buffer) == 0 then
        return false
      end
    end
    return true
  end, 20)
  local result = { complete = complete, version = vim.version(), files = {} }
  for path, buffer in pairs(buffers) do
    local received = {}
    for _, d in ipairs(vim.diagnostic.get(buffer)) do
      table.insert(received, {
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        code = d.code,
        source = d.source,
        severity = d.severity,
        message = d.message,
      })
    end
    result.files[path] = received
  end
  -- `shutdown`, then `exit`: the server must end on its own, successfully.
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function()
    return exit_code ~= nil
  end, 20)
  result.exit_code = exit_code
  return result
end

local ok, result = pcall(run)
if not ok then
  result = { error = tostring(result) }
end
local out = assert(io.open(os.getenv('RAMPART_OUT'), 'w'))
out:write(vim.fn.json_encode(result))
out:close()
vim.cmd('qa!')
