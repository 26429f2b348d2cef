/**
 * The custom requests and notifications of `protocol.ts` as typed constants, the only form client
 * and server use (`client.sendRequest(searchRequest, params)`, `connection.onRequest(searchRequest,
 * ...)`): a method can then not be sent with the wrong parameters or read with the wrong result.
 * A module of its own because it needs vscode-jsonrpc at run time, which the search panel's
 * browser bundle must not carry.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import {
  ADD_PAPERS_REQUEST, AddPapersParams, AddPapersResult, CITED_PAPERS_REQUEST, CitedPaper, EXPORT_REQUEST, ExportParams, ExportResult, PAPER_AT_REQUEST, PaperAtParams, PaperAtResult, REINDEX_REQUEST,
  SEARCH_REQUEST, SearchParams, SearchResult, SERVER_INFO_REQUEST, ServerInfo, STATUS_NOTIFICATION, StatusParams,
} from './protocol';

/** The search panel's and Insert Citation's query. */
export const searchRequest = new RequestType<SearchParams, SearchResult, void>(SEARCH_REQUEST);
/** The paper under a position, if any. */
export const paperAtRequest = new RequestType<PaperAtParams, PaperAtResult | null, void>(PAPER_AT_REQUEST);
/** Every cited paper that exists, for the Markdown preview. */
export const citedPapersRequest = new RequestType0<CitedPaper[], void>(CITED_PAPERS_REQUEST);
/** The papers as a bibliography. */
export const exportRequest = new RequestType<ExportParams, ExportResult, void>(EXPORT_REQUEST);
/** Read the workspace again; answers the status after it. */
export const reindexRequest = new RequestType0<StatusParams, void>(REINDEX_REQUEST);
/** The server process. */
export const serverInfoRequest = new RequestType0<ServerInfo, void>(SERVER_INFO_REQUEST);
/** Server → client: what is indexed. */
export const statusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);
/** Papers fetched from Hugging Face Papers, added to a digest as one edit. */
export const addPapersRequest = new RequestType<AddPapersParams, AddPapersResult, void>(ADD_PAPERS_REQUEST);
