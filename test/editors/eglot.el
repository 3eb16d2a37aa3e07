;;; eglot.el --- Emacs's eglot against nix-ai-ls, in batch mode  -*- lexical-binding: t -*-
;; Run by test/editors/emacs.test.ts: opens $NIX_AI_FILE, waits for the server's diagnostics in
;; flymake, asks for completion, and writes what it got to $NIX_AI_OUT as JSON.
(require 'eglot)
(require 'json)

(define-derived-mode nix-ai-test-mode prog-mode "Nix")

;; One project for the test folder, so that eglot manages every file in it (via-input/flake.nix too)
(add-hook 'project-find-functions
          (lambda (_dir) (cons 'transient (file-name-directory (getenv "NIX_AI_FILE")))))

(defun nix-ai-wait (what ready)
  "Process the server's messages until READY returns non-nil, or fail after 20 s."
  (let ((deadline (+ (float-time) 20)))
    (while (not (funcall ready))
      (when (> (float-time) deadline) (error "Timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

(defun nix-ai-run ()
  (find-file (getenv "NIX_AI_FILE"))
  (nix-ai-test-mode)
  (let ((eglot-server-programs
         `((nix-ai-test-mode . (,(getenv "NIX_AI_NODE") ,(getenv "NIX_AI_SERVER") "--stdio"
                                :initializationOptions (:settings (:options (:load :json-false))))))))
    (apply #'eglot (eglot--guess-contact)))
  (nix-ai-wait "the server" (lambda () (eglot-managed-p)))
  (flymake-start)
  (nix-ai-wait "diagnostics" (lambda () (flymake-diagnostics)))
  (let* ((diagnostics
          (mapcar (lambda (d)
                    (list :line (1- (line-number-at-pos (flymake-diagnostic-beg d)))
                          :text (flymake-diagnostic-text d)))
                  (flymake-diagnostics)))
         (completions
          (progn
            (goto-char (point-min))
            (search-forward "hardware.nvidia.")
            (let ((capf (eglot-completion-at-point)))
              (all-completions "" (nth 2 capf))))))
    (list :server (plist-get (eglot--server-info (eglot-current-server)) :name)
          :diagnostics (vconcat diagnostics)
          :completion (vconcat completions)
          :inputCompletion (vconcat (nix-ai-input-completions)))))

(defun nix-ai-input-completions ()
  "Completion after `gpu.nixosModules.' in a flake whose input gpu is locked: its module names."
  (find-file (getenv "NIX_AI_FLAKE"))
  (nix-ai-test-mode)
  (nix-ai-wait "the server on the flake" (lambda () (eglot-managed-p)))
  (goto-char (point-min))
  (search-forward "gpu.nixosModules.")
  (let ((capf (eglot-completion-at-point)))
    (all-completions "" (nth 2 capf))))

(let ((result (condition-case err (nix-ai-run) (error (list :error (error-message-string err))))))
  (with-temp-file (getenv "NIX_AI_OUT") (insert (json-encode result)))
  (kill-emacs (if (plist-get result :error) 1 0)))
